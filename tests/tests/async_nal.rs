//! `embedded-nal-async` over the async modem, on tokio against the simulator:
//! `reqwless`, an HTTP client written against `TcpConnect` and `Dns`, completes
//! a GET through `asynch::nal::Stack` for every family (TLS terminated in the
//! module); and the async `Connections` keep three echo connections apart.

mod async_common;

use async_common::{modem, options, TokioTimer};
use atgen::sim::{Options, PeerKind};
use atgen::ssl::SslFamily;
use atgen_runtime::asynch::nal::Stack;
use atgen_runtime::asynch::Connections;
use atgen_runtime::dialog::Dialect;
use atgen_runtime::Family;
use reqwless::client::HttpClient;
use reqwless::request::Method;
use std::time::Duration;

type Conns<D> = Connections<'static, async_common::Port, TokioTimer, D>;

fn sim_options(peer: PeerKind) -> Options {
    Options {
        peer,
        handshake: Duration::from_millis(10),
        peer_latency: Duration::from_millis(2),
        ..Options::default()
    }
}

fn connections<D: Dialect + Default>(peer: PeerKind) -> (atgen::sim::SimHandle, Conns<D>) {
    let family = D::default().family();
    let (sim, modem) = modem::<D::Family>(family, sim_options(peer));
    let mut conns = Conns::<D>::new(modem, D::default());
    conns.set_read_timeout(Some(Duration::from_millis(1500)));
    (sim, conns)
}

async fn http_get<D: Dialect + Default>() {
    let family = D::default().family();
    let (sim, conns) = connections::<D>(PeerKind::Http);
    let stack = Stack::new(conns, options());
    let body = {
        let mut client = HttpClient::new(&stack, &stack);
        let mut rx = [0u8; 2048];
        // http: reqwless speaks plain bytes; the module's SSL connection encrypts them.
        let mut request = client
            .request(Method::GET, "http://example.com:443/index.html")
            .await
            .unwrap_or_else(|e| panic!("{family}: request: {e:?}"));
        let response = request
            .send(&mut rx)
            .await
            .unwrap_or_else(|e| panic!("{family}: send: {e:?}"));
        assert_eq!(response.status.0, 200, "{family}");
        let body = response
            .body()
            .read_to_end()
            .await
            .unwrap_or_else(|e| panic!("{family}: body: {e:?}"));
        body.to_vec()
    };
    assert_eq!(
        String::from_utf8_lossy(&body),
        "<html><body>atgen simulator</body></html>\n",
        "{family}"
    );
    // The dropped connection is closed on the module.
    stack
        .close_dropped()
        .await
        .unwrap_or_else(|e| panic!("{family}: close: {e}"));
    let conns = stack.into_inner();
    assert_eq!(conns.connections().count(), 0, "{family}");
    let open = sim.state().expect("state").sockets;
    assert!(
        open.is_empty(),
        "{family}: the module has no socket left: {open:?}"
    );
    sim.stop();
}

#[tokio::test]
async fn reqwless_completes_an_http_get_through_the_async_modem_for_every_family() {
    let mut ran = Vec::new();
    atgen::for_each_family!(m => {
        type D = <m::Family as SslFamily>::Dialect;
        http_get::<D>().await;
        ran.push(<m::Family as Family>::ID);
    });
    let all: Vec<&str> = atgen::FAMILIES.iter().map(|f| f.id).collect();
    assert_eq!(ran, all);
}

async fn three_echoes<D: Dialect + Default>() {
    let family = D::default().family();
    let (sim, mut conns) = connections::<D>(PeerKind::Echo);
    let mut ids = Vec::new();
    for k in 0..3 {
        let c = conns
            .connect(options(), "example.com", 443)
            .await
            .unwrap_or_else(|e| panic!("{family}: connect #{k}: {e}"));
        ids.push(c);
    }
    let data: Vec<Vec<u8>> = (0..3u8)
        .map(|k| (0..600).map(|i| b'a' + k + (i % 3) as u8 * 3).collect())
        .collect();
    for (c, d) in ids.iter().zip(&data) {
        conns
            .write(*c, d)
            .await
            .unwrap_or_else(|e| panic!("{family}: write: {e}"));
    }
    // Read in the reverse order: the others' data waits in their queues.
    for (c, d) in ids.iter().zip(&data).rev() {
        let mut got = Vec::new();
        let mut buf = [0u8; 256];
        while got.len() < d.len() {
            let n = conns
                .read(*c, &mut buf)
                .await
                .unwrap_or_else(|e| panic!("{family}: read: {e}"));
            assert!(n > 0, "{family}: early close");
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(
            &got,
            d,
            "{family}: connection {} got only its own bytes",
            c.id()
        );
    }
    for c in ids {
        conns
            .close(c)
            .await
            .unwrap_or_else(|e| panic!("{family}: close: {e}"));
    }
    sim.stop();
}

#[tokio::test]
async fn async_connections_keep_three_echo_connections_apart_for_every_family() {
    atgen::for_each_family!(m => {
        type D = <m::Family as SslFamily>::Dialect;
        three_echoes::<D>().await;
    });
}
