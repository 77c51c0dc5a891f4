//! Byte sinks: where a command line is written. A fixed buffer for firmware, `Vec<u8>` with std.

/// The sink ran out of room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

impl core::fmt::Display for Overflow {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("output buffer too small")
    }
}

/// Something bytes can be appended to.
pub trait ByteSink {
    fn put(&mut self, bytes: &[u8]) -> Result<(), Overflow>;
}

/// A sink over a fixed slice.
#[derive(Debug)]
pub struct SliceSink<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl<'a> SliceSink<'a> {
    pub fn new(buf: &'a mut [u8]) -> Self {
        SliceSink { buf, len: 0 }
    }
    /// What has been written so far.
    pub fn written(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }
}

impl ByteSink for SliceSink<'_> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), Overflow> {
        let end = self.len.checked_add(bytes.len()).ok_or(Overflow)?;
        let dst = self.buf.get_mut(self.len..end).ok_or(Overflow)?;
        dst.copy_from_slice(bytes);
        self.len = end;
        Ok(())
    }
}

#[cfg(feature = "std")]
impl ByteSink for std::vec::Vec<u8> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), Overflow> {
        self.extend_from_slice(bytes);
        Ok(())
    }
}

/// Writes formatted text (numbers) into a byte sink.
pub(crate) struct FmtSink<'a, S: ByteSink + ?Sized>(pub &'a mut S);

impl<S: ByteSink + ?Sized> core::fmt::Write for FmtSink<'_, S> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.0.put(s.as_bytes()).map_err(|_| core::fmt::Error)
    }
}
