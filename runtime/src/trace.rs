//! The AT trace: `log` on std (target `atgen::at`), `defmt` in firmware (the
//! `defmt` feature), nothing otherwise. Secrets are redacted in both: traffic is
//! shown through [`Shown`], which prints every registered secret as `***`.

use crate::session::Secrets;
#[cfg(any(feature = "log", feature = "defmt"))]
use crate::session::Shown;
use crate::Family;

/// Bytes written to the module (a command line, `+++`, ESC).
#[allow(unused_variables)]
pub(crate) fn sent<F: Family>(bytes: &[u8], secrets: &Secrets, extra: &[&[u8]]) {
    #[cfg(feature = "log")]
    log::debug!(target: "atgen::at", "{} --> {}", F::ID, Shown { bytes, secrets, extra });
    #[cfg(feature = "defmt")]
    defmt::debug!(
        "{} --> {}",
        F::ID,
        defmt::Display2Format(&Shown {
            bytes,
            secrets,
            extra
        })
    );
}

/// A data phase written after `>`: shown unless it is secret material.
#[allow(unused_variables)]
pub(crate) fn sent_data<F: Family>(bytes: &[u8], secret: bool, secrets: &Secrets, extra: &[&[u8]]) {
    if secret {
        #[cfg(feature = "log")]
        log::debug!(target: "atgen::at", "{} --> <{} secret bytes>", F::ID, bytes.len());
        #[cfg(feature = "defmt")]
        defmt::debug!("{} --> <{} secret bytes>", F::ID, bytes.len());
    } else {
        sent::<F>(bytes, secrets, extra);
    }
}

/// A line (or a frame with its payload) received.
#[allow(unused_variables)]
pub(crate) fn received<F: Family>(frame: &[u8], secrets: &Secrets) {
    #[cfg(feature = "log")]
    log::debug!(target: "atgen::at", "{} <-- {}", F::ID, Shown { bytes: frame, secrets, extra: &[] });
    #[cfg(feature = "defmt")]
    defmt::debug!(
        "{} <-- {}",
        F::ID,
        defmt::Display2Format(&Shown {
            bytes: frame,
            secrets,
            extra: &[]
        })
    );
}

/// A payload received: its header and length (the bytes at trace level).
#[allow(unused_variables)]
pub(crate) fn received_payload<F: Family>(
    header: &[u8],
    frame: &[u8],
    len: usize,
    secrets: &Secrets,
) {
    #[cfg(feature = "log")]
    {
        log::debug!(
            target: "atgen::at",
            "{} <-- {} <{len} bytes>",
            F::ID,
            Shown { bytes: header, secrets, extra: &[] }
        );
        log::trace!(target: "atgen::at", "{} <-- {}", F::ID, Shown { bytes: frame, secrets, extra: &[] });
    }
    #[cfg(feature = "defmt")]
    defmt::debug!(
        "{} <-- {} <{} bytes>",
        F::ID,
        defmt::Display2Format(&Shown {
            bytes: header,
            secrets,
            extra: &[]
        }),
        len
    );
}

/// The prompt `>` received.
pub(crate) fn prompt<F: Family>() {
    #[cfg(feature = "log")]
    log::debug!(target: "atgen::at", "{} <-- >", F::ID);
    #[cfg(feature = "defmt")]
    defmt::debug!("{} <-- >", F::ID);
}

/// The echo of what was just written, dropped.
pub(crate) fn echo<F: Family>() {
    #[cfg(feature = "log")]
    log::trace!(target: "atgen::at", "{} <-- (echo)", F::ID);
    #[cfg(feature = "defmt")]
    defmt::trace!("{} <-- (echo)", F::ID);
}

/// Something worth a warning, with a count.
#[allow(unused_variables)]
pub(crate) fn note<F: Family>(what: &'static str, n: usize) {
    #[cfg(feature = "log")]
    log::warn!(target: "atgen::at", "{}: {what} ({n})", F::ID);
    #[cfg(feature = "defmt")]
    defmt::warn!("{}: {} ({})", F::ID, what, n);
}

/// A change of mode (transparent, command).
#[allow(unused_variables)]
pub(crate) fn mode<F: Family>(what: &'static str) {
    #[cfg(feature = "log")]
    log::debug!(target: "atgen::at", "{}: {what}", F::ID);
    #[cfg(feature = "defmt")]
    defmt::debug!("{}: {}", F::ID, what);
}
