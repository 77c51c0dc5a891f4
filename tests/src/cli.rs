//! Running the `atgen` binary as a script does: arguments and stdin in, its
//! exit status, stdout and stderr back.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `atgen` with these arguments, writing `stdin` to it.
pub fn atgen(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(crate::e2e::atgen_bin())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run atgen: {e}"));
    if let Some(mut i) = child.stdin.take() {
        let _ = i.write_all(stdin);
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("atgen did not finish: {e}"))
}

/// Output bytes as text (invalid UTF-8 replaced).
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
