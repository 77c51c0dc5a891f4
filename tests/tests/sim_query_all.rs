//! The simulator answers a query of every context as the manual lists it: one
//! line per context of the id's range, written or not.

mod sim_common;

use sim_common::*;

#[test]
fn cacertex_query_of_all_contexts_lists_one_line_per_context() {
    use atgen::quectel_ec200x::*;
    let (_sim, mut link) = start::<Family>("quectel-ec200x", fast());
    exec(
        &mut link,
        &QsslcfgCacertex {
            ssl_ctx_id: 2,
            cacertpath: "UFS:ca.pem",
        },
    )
    .unwrap();
    let r = exec(&mut link, &QsslcfgCacertexQueryAll).unwrap();
    let lines: Vec<_> = r.response().unwrap().cacertex.clone().collect();
    // <SSL_ctxID> is 0~5: six lines, the written one with its path.
    assert_eq!(lines.len(), 6, "{lines:?}");
    let ids: Vec<u8> = lines.iter().map(|l| l.ssl_ctx_id).collect();
    assert_eq!(ids, [0, 1, 2, 3, 4, 5]);
    assert_eq!(lines[2].cacertpath, "UFS:ca.pem");
}
