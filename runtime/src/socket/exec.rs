//! Running one request for a dialect: the manual's wait (capped by the
//! configuration), and errors filed under the command's name.

use std::time::Duration;

use super::error::SocketError;
use crate::family::Family;
use crate::link::{Clock, Exec, Link, Reply, Transport};
use crate::request::AtRequest;

/// `QSSLOPEN`, or `QSSLCFG "seclevel"` for a sub-command.
pub fn command_name<R: AtRequest>() -> String {
    match R::SUB {
        Some(sub) => format!("{} \"{sub}\"", R::COMMAND),
        None => R::COMMAND.to_string(),
    }
}

/// Executes `req` (with `data` for its data phase), waiting the manual's maximum
/// response time or `cap`, whichever is shorter. Errors name the command and family.
pub fn run<R, T, C>(
    link: &mut Link<T, R::Family, C>,
    req: &R,
    data: Option<&[u8]>,
    cap: Option<Duration>,
) -> Result<Reply<R>, SocketError>
where
    R: AtRequest,
    T: Transport,
    C: Clock,
{
    let manual = Duration::from_millis(req.max_response().total_ms(|name| link.setting(name)));
    let timeout = cap.map_or(manual, |c| c.min(manual));
    link.execute_with(
        req,
        Exec {
            data,
            timeout: Some(timeout),
            cancel: false,
        },
    )
    .map_err(|e| SocketError::from_link(<R::Family as Family>::ID, command_name::<R>(), e))
}

/// Validates `req` without a link, filing the error like [`run`] does.
pub fn check<R: AtRequest>(req: &R) -> Result<(), SocketError> {
    req.validate().map_err(SocketError::Validation)
}
