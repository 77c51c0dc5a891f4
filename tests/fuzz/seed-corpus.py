#!/usr/bin/env python3
"""Writes the seed corpora under tests/fuzz/corpus/<target>/ from the manuals' examples.

The command lines and module output come from the example tests
(tests/tests/examples_*.rs and tests/tests/examples_common/), where they are Rust string
literals; the spec corpus is the real spec files. Deterministic: run it again after the
examples change and commit what differs.  Usage: python3 tests/fuzz/seed-corpus.py
"""

import hashlib
import pathlib
import re

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent.parent
TESTS = ROOT / "tests" / "tests"
CORPUS = FUZZ / "corpus"

# The first input byte of digest, parsers and request picks the family (`% 5`).
FAMILIES = {"quectel-ec200x": 0, "quectel-ec2x": 1, "quectel-bc26": 2, "quectel-ugxx": 3, "cmiot-ml302": 4}
SHORT = {"quectel-ec200x": "ec200x", "quectel-ec2x": "ec2x", "quectel-bc26": "bc26",
         "quectel-ugxx": "ugxx", "cmiot-ml302": "ml302"}
# Which example files speak for which family (EC2x and EC200x share chapter 3).
SOURCES = {
    "quectel-ec200x": ["examples_quectel_ec200x.rs", "examples_common/quectel_lte.rs"],
    "quectel-ec2x": ["examples_quectel_ec2x.rs", "examples_common/quectel_lte.rs"],
    "quectel-bc26": ["examples_quectel_bc26.rs"],
    "quectel-ugxx": ["examples_quectel_ugxx.rs"],
    "cmiot-ml302": ["examples_cmiot_ml302.rs"],
}
FINALS = {b"OK", b"ERROR", b"SEND OK", b"SEND FAIL", b"CLOSE OK", b"CONNECT", b"NO CARRIER"}

LITERAL = re.compile(r'(b?)(?:r(#*)"(.*?)"\2|"((?:[^"\\]|\\.)*)")', re.S)


def unescape(body: str) -> bytes:
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        e = body[i + 1]
        i += 2
        if e == "\n":  # line continuation: the newline and leading whitespace are dropped
            while i < len(body) and body[i] in " \t\n":
                i += 1
        elif e in "nrt0\\\"'":
            out += {"n": b"\n", "r": b"\r", "t": b"\t", "0": b"\0", "\\": b"\\", '"': b'"', "'": b"'"}[e]
        elif e == "x":
            out.append(int(body[i:i + 2], 16))
            i += 2
        elif e == "u":
            end = body.index("}", i)
            out += chr(int(body[i + 1:end], 16)).encode()
            i = end + 1
        else:
            raise ValueError(f"unknown escape \\{e}")
    return bytes(out)


def literals(path: pathlib.Path):
    text = path.read_text()
    for m in LITERAL.finditer(text):
        if m.group(3) is not None:
            yield m.group(3).encode()
        else:
            yield unescape(m.group(4))


def family_lines(fam):
    """(command lines, module lines) of a family's examples, in order, deduplicated."""
    commands, lines = [], []
    for name in SOURCES[fam]:
        for lit in literals(TESTS / name):
            for part in lit.split(b"\r\n"):
                # `+QSSLRECV: 0  //No data in buffer.`: the manual's comment is no module output.
                part = part.split(b"  //")[0]
                if not part:
                    continue
                if part[:3].upper() == b"AT+" and b"\n" not in part:
                    if part not in commands:
                        commands.append(part)
                elif (part.startswith(b"+") or part in FINALS or part.endswith(b",CLOSE OK")) \
                        and part not in lines:
                    lines.append(part)
    return commands, lines


def payload_frames(fam):
    """Whole payload frames of the examples (header CR LF data), as URC/info-line frames."""
    frames = []
    for name in SOURCES[fam]:
        for lit in literals(TESTS / name):
            m = re.match(rb'^(\+QSSL(?:RECV|URC): [^\r\n]*?(\d+))\r\n', lit)
            if m and lit.count(b"\r\n") >= 1:
                n = int(m.group(2))
                body = lit[m.end():m.end() + n]
                if len(body) == n and n > 0 and lit[:m.end() + n] not in frames:
                    frames.append(lit[:m.end() + n])
    return frames


def write(target, name, data: bytes, seen):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha1(data).hexdigest()
    if h in seen:
        return
    seen.add(h)
    (d / name).write_bytes(data)


def main():
    for d in CORPUS.glob("*/*"):
        d.unlink()
    seen = set()
    for fam, code in FAMILIES.items():
        short = SHORT[fam]
        commands, lines = family_lines(fam)
        frames = payload_frames(fam)

        # request: [family, small buffer size] + line (every other one gets a small buffer).
        for i, c in enumerate(commands[:10]):
            write("request", f"{short}-{i:02}", bytes([code, 255 if i % 2 else 16]) + c, seen)

        # parsers: [family, flags] + frame; flags bit 0 hex, bits 1..: small buffer size.
        for i, l in enumerate((lines + frames)[:10]):
            write("parsers", f"{short}-{i:02}", bytes([code, 0xFE if i % 2 else 0x10]) + l, seen)
        if fam == "quectel-bc26":
            hexed = b'+QSSLURC: "recv",1,5,10,"31323334353637383930"'
            write("parsers", f"{short}-hex", bytes([code, 0x01]) + hexed, seen)

        # digest: [family, flags, max line, max payload, 0 splits] + the module's output.
        # (Payload headers only where their data follows.)
        plain = [l for l in lines if not any(f.startswith(l + b"\r\n") for f in frames)]
        out = b"".join(b"\r\n" + l + b"\r\n" for l in plain) + b"".join(f + b"\r\n" for f in frames)
        write("digest", f"{short}-transcript", bytes([code, 0, 0, 0, 0]) + out, seen)
        # The same with three split points, small limits and an echo of the first command.
        echo = (commands[0] + b"\r")[:15] if commands else b""
        splits = bytes([3, 5, 0, 17, 0, 40, 0])
        write("digest", f"{short}-split-echo",
              bytes([code, 0x04 | (len(echo) << 4), 40, 64]) + splits + echo + out, seen)
        for i, f in enumerate(frames[:2]):
            write("digest", f"{short}-payload-{i}", bytes([code, 0, 0, 0, 1, 7, 0]) + f + b"\r\n\r\nOK\r\n", seen)
        write("digest", f"{short}-prompt", bytes([code, 0x02, 0, 0, 0]) + b"\r\n> SEND OK\r\n", seen)

    # link: [flags, K, K chunk sizes, M, M ops] + the EC2x module's answers (clientID 4).
    open_ok = b"\r\nOK\r\n\r\n+QSSLOPEN: 4,0\r\n"
    send_ok = b"> \r\nSEND OK\r\n"
    recv = b"\r\n+QSSLRECV: 18\r\nTest data from SSL\r\n\r\nOK\r\n"
    close = b"\r\nOK\r\n"
    urc_recv = b'\r\n+QSSLURC: "recv",4\r\n'
    state = (b'\r\n+QSSLSTATE: 4,"SSLClient","220.180.239.212",8010,65344,2,1,4,0,"usbmodem",1\r\n'
             b"\r\nOK\r\n")
    push = b'\r\n+QSSLURC: "recv",4,18\r\nTest data from SSL\r\n'
    dialog = open_ok + send_ok + urc_recv + recv + close
    write("link", "ec2x-buffer-dialog", bytes([0x40, 0, 0]) + dialog, seen)
    write("link", "ec2x-buffer-dialog-chunked", bytes([0x40, 3, 1, 0, 7, 0]) + dialog, seen)
    write("link", "ec2x-echo", bytes([0x41, 0, 0]) + dialog, seen)
    write("link", "ec2x-small-limits-eof", bytes([0x46, 2, 5, 3, 0]) + dialog, seen)
    write("link", "ec2x-state", bytes([0x40, 0, 2, 0x05, 0x08]) + state + b'\r\n+QSSLURC: "closed",4\r\n', seen)
    write("link", "ec2x-push", bytes([0x40, 0, 3, 0x20, 0x06, 0x08]) + open_ok + push + push, seen)
    write("link", "ec2x-recv-empty", bytes([0x40, 0, 2, 0x03, 0x03])
          + recv + b"\r\n+QSSLRECV: 0\r\n\r\nOK\r\n", seen)
    write("link", "ec2x-errors", bytes([0x40, 0, 4, 0x00, 0x01, 0x04, 0x09])
          + b"\r\nOK\r\n\r\n+QSSLOPEN: 4,565\r\n\r\nSEND FAIL\r\n\r\n+CME ERROR: 552\r\n> \r\nOK\r\n", seen)
    write("link", "ec2x-transparent", bytes([0x40, 0, 4, 0x30, 0x0B, 0x0C, 0x03])
          + b"\r\nCONNECT\r\nHTTP/1.1 200 OK\r\n\r\nhello" + b"\r\nOK\r\n" + recv, seen)
    write("link", "ec2x-socket", bytes([0x48, 0, 0]) + b"\r\nOK\r\n" * 2 + open_ok + send_ok
          + urc_recv + recv + b"\r\n+QSSLRECV: 0\r\n\r\nOK\r\n" + close, seen)

    # spec: the real spec files (the shared table is always loaded by the target).
    for p in sorted((ROOT / "spec").glob("*.toml")):
        write("spec", p.stem, p.read_bytes(), seen)
    # Two files in one input (NUL-separated): a family file beside a copy of its shared table.
    shared = (ROOT / "spec" / "shared" / "quectel-lte-ssl-errors.toml").read_bytes()
    write("spec", "shared-twice", shared + b"\0" + shared, seen)

    # Small ones, so that mutations are cheap: the start of a real spec (a family and
    # its first table, which does not validate alone) and broken TOML of a few kinds.
    ec2x = (ROOT / "spec" / "quectel-ec2x.toml").read_text()
    head = ec2x[:ec2x.index("[[tables]]")]
    head = "\n".join(l for l in head.splitlines() if not l.startswith("  \"")) + "\n"
    write("spec", "small-family", head.encode(), seen)
    small = {
        "broken-table-header": b'[family]\nid = "quectel-ec2x"\n[[commands]\nid = "x"\n',
        "broken-string": b'[family]\nid = "quectel-ec2x"\ntitle = "unterminated\n',
        "unknown-key": b'[family]\nid = "quectel-ec2x"\ncolour = "blue"\n',
        "crlf-tab-unicode": '[family]\r\n\tid = "quectel-bc26"\r\n\ttitle = "SSL 应用指导"\r\n[x\r\n'.encode(),
    }
    for name, text in small.items():
        write("spec", name, text, seen)

    for t in sorted(CORPUS.iterdir()):
        print(f"{t.name}: {len(list(t.iterdir()))} files")


if __name__ == "__main__":
    main()
