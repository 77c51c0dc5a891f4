//! `atgen term --family ID --device PATH`: an interactive terminal for one
//! module. Each line is parsed and validated with the family's request forms
//! before anything is written (an invalid line is refused with the lint message
//! and nothing reaches the module); answers are shown decoded (typed fields,
//! error codes with the manual's text, payloads by length, URCs marked `urc`).

use std::io::{BufRead, IsTerminal, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use atgen_runtime::codec;
use atgen_runtime::link::{command_name, Exec, Link, Transport};
use atgen_runtime::session::DynRequest;
use serde_json::{json, Value as Json};

use super::decode::classify;
use super::dispatch::with_family;
use super::input::say;
use super::module_args::ModuleArgs;
use super::Failure;
use atgen::decode::Decode;

/// A line sent as it is (still checked for CR, LF, Ctrl+Z, ESC inside).
const RAW: &str = ":raw ";
/// How long the terminal listens for URCs between lines.
const IDLE: Duration = Duration::from_millis(50);

const AFTER_HELP: &str = "\
LINES:
  AT+…           parsed and validated against the family's spec first; refused (nothing
                 written) with the reason when invalid; a command with a data phase takes
                 the next line as its data
  :raw AT+…      sent as typed, without validation (no CR, LF, Ctrl+Z or ESC inside)
  !!  !N         the last line again, line N of :history again
  :history       the lines sent so far, numbered
  :wait MS       until a URC arrives, at most MS milliseconds (scripts)
  :quit          the end (so does the end of input)
Every answer is shown decoded: `info` lines with typed fields, `final` result codes,
`error` with the module's code and the manual's text, `urc` for unsolicited lines.";

#[derive(clap::Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct Args {
    #[command(flatten)]
    module: ModuleArgs,
    /// Read the lines from FILE instead of the keyboard.
    #[arg(long)]
    script: Option<std::path::PathBuf>,
    /// One JSON object per event.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let id = args.module.family.as_str();
    with_family!(id, m => session::<m::Family>(&args))
}

/// What the terminal shows: text or JSON.
struct Out {
    json: bool,
}

impl Out {
    fn event(&self, v: Json) -> Result<(), Failure> {
        if self.json {
            return say(&v.to_string());
        }
        let mut s = format!("  {}", super::decode::describe(&v));
        if let Some(p) = v.get("payload_len") {
            s.push_str(&format!(" <{p} bytes>"));
        }
        say(&s)
    }
}

/// Input lines from the script or stdin, read on a thread so URCs are shown meanwhile.
fn lines(script: &Option<std::path::PathBuf>) -> Result<Receiver<Option<String>>, Failure> {
    let reader: Box<dyn BufRead + Send> = match script {
        Some(p) => Box::new(std::io::BufReader::new(
            std::fs::File::open(p)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", p.display())))?,
        )),
        None => Box::new(std::io::BufReader::new(std::io::stdin())),
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in reader.lines() {
            let Ok(line) = line else { break };
            if tx.send(Some(line)).is_err() {
                return;
            }
        }
        let _ = tx.send(None);
    });
    Ok(rx)
}

fn session<F: Decode>(args: &Args) -> Result<(), Failure> {
    let desc = F::DESC.ok_or_else(|| Failure::failed(format!("{}: no descriptors", F::ID)))?;
    let out = Out { json: args.json };
    let interactive = args.script.is_none() && std::io::stdin().is_terminal();
    let input = lines(&args.script)?;
    let mut link = args.module.link::<F>()?;
    let timeout = args.module.timeout();
    let mut history: Vec<String> = Vec::new();
    if interactive {
        say(&format!(
            "atgen term {} on {}: :raw sends a line unchecked, :history, !N, :quit (--help for more)",
            F::ID,
            args.module.device
        ))?;
    }
    loop {
        if interactive {
            let mut o = std::io::stdout().lock();
            let _ = write!(o, "{}> ", F::ID).and_then(|()| o.flush());
        }
        let line = loop {
            match input.recv_timeout(IDLE) {
                Ok(l) => break l,
                Err(RecvTimeoutError::Timeout) => urcs::<F>(&mut link, &out)?,
                Err(RecvTimeoutError::Disconnected) => break None,
            }
        };
        let Some(line) = line else { break };
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let line = match trimmed {
            ":quit" | ":q" => break,
            ":history" => {
                for (i, h) in history.iter().enumerate() {
                    say(&format!("{:>4}  {h}", i + 1))?;
                }
                continue;
            }
            t if t.starts_with(":wait") => {
                let ms = t
                    .get(5..)
                    .map(str::trim)
                    .and_then(|n| n.parse::<u64>().ok());
                match ms {
                    Some(ms) => {
                        if let Err(e) = link.poll_urcs(Duration::from_millis(ms)) {
                            out.event(json!({ "kind": "error", "error": e.to_string() }))?;
                        }
                        urcs::<F>(&mut link, &out)?;
                    }
                    None => out.event(json!({ "kind": "refused", "input": t, "error": ":wait takes milliseconds: `:wait 500`" }))?,
                }
                continue;
            }
            "!!" => {
                match history.last() {
                    Some(h) => h.clone(),
                    None => {
                        out.event(json!({ "kind": "refused", "input": trimmed, "error": "no line sent yet" }))?;
                        continue;
                    }
                }
            }
            t if t.starts_with('!') => {
                match t
                    .get(1..)
                    .and_then(|n| n.parse::<usize>().ok())
                    .and_then(|n| history.get(n.wrapping_sub(1)))
                {
                    Some(h) => h.clone(),
                    None => {
                        out.event(json!({ "kind": "refused", "input": t, "error": format!("no line {t} in :history ({} lines)", history.len()) }))?;
                        continue;
                    }
                }
            }
            t => t.to_string(),
        };
        if let Some(raw) = line.strip_prefix(RAW) {
            history.push(line.clone());
            let r = link.raw(raw, timeout.unwrap_or(Duration::from_secs(5)));
            match r {
                Ok(reply) => {
                    for l in reply.lines() {
                        out.event(classify::<F>(0, l, link.payload_hex()))?;
                    }
                    out.event(
                        json!({ "kind": "final", "result": format!("{:?}", reply.completion) }),
                    )?;
                }
                Err(e) => out.event(json!({ "kind": "error", "error": e.to_string() }))?,
            }
            urcs::<F>(&mut link, &out)?;
            continue;
        }
        let (i, vals) = match codec::parse_any_request(F::ID, desc.forms, &[], line.as_bytes()) {
            Ok(p) => p,
            Err(e) => {
                out.event(json!({ "kind": "refused", "input": line, "error": e.to_string() }))?;
                continue;
            }
        };
        let Some(form) = desc.forms.get(i).copied() else {
            continue;
        };
        // A data phase takes the next line as its data, before anything is written.
        let data = if form.data.is_some() {
            if interactive {
                let mut o = std::io::stdout().lock();
                let _ = write!(o, "data> ").and_then(|()| o.flush());
            }
            match input.recv() {
                Ok(Some(d)) => Some(d.trim_end_matches(['\r', '\n']).as_bytes().to_vec()),
                _ => {
                    out.event(json!({ "kind": "refused", "input": line, "error": "the input ended before the data line" }))?;
                    break;
                }
            }
        } else {
            None
        };
        history.push(line.clone());
        let cmd = DynRequest {
            form,
            vals,
            ids: desc.ids,
        };
        let name = command_name(form.command, form.sub);
        let opts = Exec {
            data: data.as_deref(),
            timeout,
            cancel: false,
        };
        match link.run(&cmd, opts, &name) {
            Ok(c) => {
                let hex = link.payload_hex();
                let block = link.session().response().to_vec();
                let result = link.session().result_frame().map(<[u8]>::to_vec);
                show_block::<F>(&out, &block, hex)?;
                out.event(json!({ "kind": "final", "result": format!("{c:?}") }))?;
                if let Some(r) = result {
                    let mut v = classify::<F>(0, &r, hex);
                    v["kind"] = json!("result");
                    out.event(v)?;
                }
            }
            Err(e) => out.event(json!({ "kind": "error", "error": e.to_string() }))?,
        }
        urcs::<F>(&mut link, &out)?;
    }
    Ok(())
}

/// The information lines of a response, decoded; a payload is shown by its length.
fn show_block<F: Decode>(out: &Out, block: &[u8], hex: bool) -> Result<(), Failure> {
    let items = super::decode::decode::<F>(
        block,
        super::decode::Opts {
            hex,
            show_secrets: true,
        },
    );
    for mut v in items {
        if let Some(p) = v.get("payload_hex").and_then(Json::as_str) {
            let n = p.len() / 2;
            v["payload_len"] = json!(n);
        }
        out.event(v)?;
    }
    Ok(())
}

/// Shows the URCs that arrived, marked as such.
fn urcs<F: Decode>(link: &mut Link<Box<dyn Transport>, F>, out: &Out) -> Result<(), Failure> {
    if let Err(e) = link.poll_urcs(Duration::ZERO) {
        return out.event(json!({ "kind": "error", "error": e.to_string() }));
    }
    let frames: Vec<_> = link.drain_urcs().collect();
    for u in frames {
        let mut v = classify::<F>(0, &u.frame, u.hex);
        v["kind"] = json!("urc");
        out.event(v)?;
    }
    Ok(())
}
