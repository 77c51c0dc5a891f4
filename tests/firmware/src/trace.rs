//! The AT trace on the host's standard output, with the `trace` feature; nothing without.

use atgen_runtime::Frame;

#[cfg(feature = "trace")]
mod on {
    use core::fmt::{self, Write as _};

    use atgen_runtime::Frame;

    /// Bytes as text, control bytes and non-ASCII escaped.
    struct Escaped<'a>(&'a [u8]);

    impl fmt::Display for Escaped<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            for &b in self.0 {
                match b {
                    b'\r' => f.write_str("\\r")?,
                    b'\n' => f.write_str("\\n")?,
                    0x20..=0x7E => f.write_char(char::from(b))?,
                    _ => write!(f, "\\x{b:02x}")?,
                }
            }
            Ok(())
        }
    }

    pub fn tx(bytes: &[u8]) {
        crate::board::report(format_args!("--> {}", Escaped(bytes)));
    }

    pub fn rx(frame: &Frame<'_>) {
        match frame {
            Frame::Line(l) => crate::board::report(format_args!("<-- {}", Escaped(l))),
            Frame::Payload { frame, .. } => {
                crate::board::report(format_args!("<-- {}", Escaped(frame)))
            }
            Frame::Prompt => crate::board::report(format_args!("<-- >")),
            Frame::Echo => crate::board::report(format_args!("<-- (echo)")),
            Frame::None => {}
        }
    }
}

/// A command line or data written to the module.
#[inline]
pub fn tx(bytes: &[u8]) {
    #[cfg(feature = "trace")]
    on::tx(bytes);
    #[cfg(not(feature = "trace"))]
    let _ = bytes;
}

/// A frame read from the module.
#[inline]
pub fn rx(frame: &Frame<'_>) {
    #[cfg(feature = "trace")]
    on::rx(frame);
    #[cfg(not(feature = "trace"))]
    let _ = frame;
}
