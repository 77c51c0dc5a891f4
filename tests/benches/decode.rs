//! Decode throughput of a large mixed transcript (MB/s), and heap allocations
//! per decoded item. `cargo bench -p atgen-tests --bench decode`.

use atgen_tests::transcript::{decode_slice, mixed_ec2x_transcript};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn bench(c: &mut Criterion) {
    type Ec2x = atgen::quectel_ec2x::Family;
    let input = mixed_ec2x_transcript(2000, 1460);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let items = decode_slice::<Ec2x>(&input, false, |_| {});
    let allocs = ALLOCATIONS.load(Ordering::Relaxed) - before;
    println!(
        "decode: {} bytes, {items} items, {allocs} heap allocations ({:.3} per item)",
        input.len(),
        allocs as f64 / items.max(1) as f64
    );
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Bytes(input.len() as u64));
    g.sample_size(20);
    g.bench_function("mixed_ec2x_transcript", |b| {
        b.iter(|| decode_slice::<Ec2x>(std::hint::black_box(&input), false, |_| {}))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
