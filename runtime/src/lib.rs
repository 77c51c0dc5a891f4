//! atgen runtime: what the generated APIs plug into, and what drives a module.
//!
//! The core (always available, `no_std`): [`sink`] for writing command lines
//! without a heap, [`wire`] for the manuals' value encodings and their winnow
//! parsers, [`error`] for validation and parse errors, and the traits that
//! generated code implements: [`request::AtRequest`] and [`family::Family`].
//! With `std`: the link driver, transports and the portable SSL socket.
//! Without a heap: the blocking `embedded-io` driver ([`nb`], feature `nb`)
//! and the async `embedded-io-async` driver ([`asynch`], feature `async`),
//! sharing [`driver`].
#![cfg_attr(not(feature = "std"), no_std)]

pub mod codec;
pub mod desc;
pub mod dialog;
pub mod digest;
pub mod dispatch;
pub mod error;
pub mod family;
pub mod final_code;
mod impls;
pub mod payload;
pub mod quick;
pub mod repeated;
pub mod request;
pub mod request_error;
pub mod session;
pub mod setting;
pub mod sink;
mod trace;
pub mod typed;
pub mod vals;
pub mod wire;

#[cfg(feature = "serde")]
#[doc(hidden)]
pub mod serde_impls;
#[cfg(feature = "serde")]
pub use serde_impls::serde_bytes;

#[cfg(feature = "async")]
pub mod asynch;
#[cfg(any(feature = "nb", feature = "async"))]
pub mod driver;
#[cfg(feature = "std")]
pub mod link;
#[cfg(feature = "nb")]
pub mod nb;
#[cfg(feature = "sim")]
pub mod sim;
#[cfg(feature = "std")]
pub mod socket;
#[cfg(feature = "std")]
pub mod transcript;

pub use digest::{Digester, Frame};
pub use error::{EncodeError, ParseError, Problem, Shown, ValidationError, Value};
pub use family::{Family, FamilyInfo, PayloadProbe, PayloadStarts};
pub use final_code::{CmeCode, FinalCode};
pub use payload::{Payload, PayloadError};
pub use repeated::Repeated;
pub use request::{
    AtRequest, ChecksumKind, DataEnd, DataPhase, FormKind, MaxResponse, PlusParam, When,
    UNSTATED_RESPONSE,
};
pub use request_error::RequestError;
pub use setting::{Setting, SettingKey};
pub use sink::{ByteSink, Overflow, SliceSink};
pub use vals::{FromVal, IntoVal, Val, Vals};
