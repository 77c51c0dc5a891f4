//! A bounded queue of unsolicited frames for drivers without a heap.
//!
//! Policy: when a frame does not fit (too many frames or bytes), the new frame
//! is dropped and counted; [`UrcQueue::dropped`] reports the count since it was
//! last read, so the loss is visible (the socket turns a lost data URC into an
//! error). Frames longer than the whole queue are dropped the same way.

/// One queued frame: its bytes, and whether payloads were hex text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedUrc<const L: usize> {
    pub frame: heapless::Vec<u8, L>,
    pub hex: bool,
}

/// At most `N` frames of at most `L` bytes each.
#[derive(Debug, Default)]
pub struct UrcQueue<const N: usize = 8, const L: usize = 1600> {
    frames: heapless::Deque<QueuedUrc<L>, N>,
    dropped: u32,
}

impl<const N: usize, const L: usize> UrcQueue<N, L> {
    pub const fn new() -> Self {
        UrcQueue {
            frames: heapless::Deque::new(),
            dropped: 0,
        }
    }

    /// Queues a frame; `false` when it was dropped (and counted).
    pub fn push(&mut self, frame: &[u8], hex: bool) -> bool {
        let kept = heapless::Vec::from_slice(frame)
            .ok()
            .and_then(|frame| self.frames.push_back(QueuedUrc { frame, hex }).ok());
        if kept.is_none() {
            self.dropped = self.dropped.saturating_add(1);
        }
        kept.is_some()
    }

    /// The oldest frame.
    pub fn pop(&mut self) -> Option<QueuedUrc<L>> {
        self.frames.pop_front()
    }

    /// The oldest frame for which `take` holds; the others keep their order.
    pub fn take_first(
        &mut self,
        mut take: impl FnMut(&QueuedUrc<L>) -> bool,
    ) -> Option<QueuedUrc<L>> {
        let n = self.frames.len();
        let mut found = None;
        for _ in 0..n {
            let Some(u) = self.frames.pop_front() else {
                break;
            };
            if found.is_none() && take(&u) {
                found = Some(u);
            } else {
                // Room is certain: one was just taken out.
                let _ = self.frames.push_back(u);
            }
        }
        found
    }

    pub fn len(&self) -> usize {
        self.frames.len()
    }

    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &QueuedUrc<L>> {
        self.frames.iter()
    }

    /// How many frames were dropped since the last call.
    pub fn dropped(&mut self) -> u32 {
        core::mem::take(&mut self.dropped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_queue_drops_the_new_frame_and_counts_it() {
        let mut q: UrcQueue<2, 8> = UrcQueue::new();
        assert!(q.push(b"a", false));
        assert!(q.push(b"b", false));
        assert!(!q.push(b"c", false));
        assert!(!q.push(b"far too long", false));
        assert_eq!(q.dropped(), 2);
        assert_eq!(q.dropped(), 0);
        assert_eq!(q.pop().map(|u| u.frame.to_vec()), Some(b"a".to_vec()));
    }

    #[test]
    fn take_first_keeps_the_order_of_the_rest() {
        let mut q: UrcQueue<4, 8> = UrcQueue::new();
        for f in [&b"a"[..], b"b", b"c"] {
            q.push(f, false);
        }
        assert_eq!(
            q.take_first(|u| u.frame.as_slice() == b"b")
                .map(|u| u.frame.to_vec()),
            Some(b"b".to_vec())
        );
        let rest: std::vec::Vec<_> = core::iter::from_fn(|| q.pop())
            .map(|u| u.frame.to_vec())
            .collect();
        assert_eq!(rest, [b"a".to_vec(), b"c".to_vec()]);
    }
}
