#!/usr/bin/env python3
"""Writes the seed corpora for fuzz_rtp and fuzz_rtcp: realistic packets as a
WebRTC or SIP peer sends them. Run from anywhere; rewrites
tests/fuzz/corpus/fuzz_rtp/ and tests/fuzz/corpus/fuzz_rtcp/."""

import pathlib
import struct

CORPUS = pathlib.Path(__file__).resolve().parents[1] / "corpus"


def rtp(pt, seq, ts, ssrc, payload, marker=False, csrcs=(), ext=None, padding=0):
    """ext is (profile, body bytes); body is padded to 32 bits here."""
    b0 = 0x80 | (0x20 if padding else 0) | (0x10 if ext else 0) | len(csrcs)
    out = struct.pack("!BBHII", b0, (0x80 if marker else 0) | pt, seq, ts, ssrc)
    out += b"".join(struct.pack("!I", c) for c in csrcs)
    if ext:
        profile, body = ext
        body += b"\0" * (-len(body) % 4)
        out += struct.pack("!HH", profile, len(body) // 4) + body
    out += payload
    if padding:
        out += b"\0" * (padding - 1) + bytes([padding])
    return out


def one_byte(*elements):
    """RFC 8285 one-byte elements: (id, data)."""
    return b"".join(bytes([(i << 4) | (len(d) - 1)]) + d for i, d in elements)


def two_byte(*elements):
    return b"".join(bytes([i, len(d)]) + d for i, d in elements)


def rtcp(pt, count, body, padding=0):
    if padding:
        body += b"\0" * (padding - 1) + bytes([padding])
    assert len(body) % 4 == 0, "RTCP packets are whole 32-bit words"
    words = (4 + len(body)) // 4 - 1
    return struct.pack("!BBH", 0x80 | (0x20 if padding else 0) | count, pt, words) + body


def block(ssrc, fraction, lost, ext_seq, jitter, lsr, dlsr):
    return struct.pack("!IB", ssrc, fraction) + (lost & 0xFFFFFF).to_bytes(3, "big") + \
        struct.pack("!IIII", ext_seq, jitter, lsr, dlsr)


def sr(ssrc, ntp_sec, ntp_frac, rtp_ts, packets, octets, *blocks):
    return rtcp(200, len(blocks), struct.pack("!IIIIII", ssrc, ntp_sec, ntp_frac, rtp_ts,
                                              packets, octets) + b"".join(blocks))


def rr(ssrc, *blocks):
    return rtcp(201, len(blocks), struct.pack("!I", ssrc) + b"".join(blocks))


def sdes(*chunks):
    body = b""
    for ssrc, items in chunks:
        chunk = struct.pack("!I", ssrc)
        for item_type, text in items:
            chunk += bytes([item_type, len(text)]) + text
        chunk += b"\0"
        chunk += b"\0" * (-len(chunk) % 4)
        body += chunk
    return rtcp(202, len(chunks), body)


def bye(ssrcs, reason=b""):
    body = b"".join(struct.pack("!I", s) for s in ssrcs)
    if reason:
        body += bytes([len(reason)]) + reason
        body += b"\0" * (-len(body) % 4)
    return rtcp(203, len(ssrcs), body)


def feedback(pt, fmt, sender, media, fci=b""):
    return rtcp(pt, fmt, struct.pack("!II", sender, media) + fci)


def write(name, files):
    folder = CORPUS / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for file_name, data in files.items():
        (folder / file_name).write_bytes(data)


OPUS = bytes.fromhex("78") + bytes(range(60))  # TOC byte (SILK WB 20 ms) and frame bytes
A = 0x5AF1C0DE  # a browser's audio SSRC
V = 0x1B2C3D4E  # a browser's video SSRC
S = 0x00C0FFEE  # the SIP side's SSRC

rtp_seeds = {
    "pcmu-20ms": rtp(0, 4711, 160 * 4711, S, bytes([0xFF]) * 160),
    "pcma-marker": rtp(8, 1, 160, S, bytes([0xD5]) * 160, marker=True),
    "opus-plain": rtp(111, 30000, 960 * 30000, A, OPUS),
    "opus-audio-level-mid": rtp(111, 30001, 960 * 30001, A, OPUS,
                                ext=(0xBEDE, one_byte((1, bytes([0x80 | 42])), (9, b"0")))),
    "opus-abs-send-time-twcc": rtp(111, 30002, 960 * 30002, A, OPUS,
                                   ext=(0xBEDE, one_byte((1, b"\x28"), (3, b"\x12\x34\x56"),
                                                         (5, b"\x01\x02")))),
    "vp8-keyframe-start": rtp(96, 12000, 90000, V, bytes.fromhex("9080") + bytes(100),
                              ext=(0x1000, two_byte((2, b"\x00\x01\x02"), (4, b""),
                                                    (10, b"video-stream-id")))),
    "vp8-last-marker": rtp(96, 12001, 90000, V, bytes.fromhex("1080") + bytes(40), marker=True),
    "rtx-padding-only": rtp(97, 500, 90000, V, b"", padding=200),
    "opus-padded": rtp(111, 40000, 0xFFFFFC40, A, OPUS, padding=4),
    "mixer-csrcs": rtp(0, 65535, 0xFFFFFF00, S, bytes(160), csrcs=(1, 2, 3, 0xDEADBEEF)),
    "telephone-event-start": rtp(101, 9000, 320000, S, bytes.fromhex("05 0a 00 a0"), marker=True),
    "comfort-noise": rtp(13, 9001, 320160, S, bytes([0x40])),
    "header-only": rtp(0, 0, 0, 0, b""),
    "id15-stops": rtp(111, 7, 6720, A, OPUS, ext=(0xBEDE, one_byte((1, b"\x10")) + b"\xF0\x22")),
}

rtcp_seeds = {
    "sr-sdes": sr(A, 0xE8A1B2C3, 0x40000000, 960 * 30000, 1500, 90000,
                  block(S, 0, 0, 4711, 12, 0x12345678, 65536))
    + sdes((A, [(1, b"Ab3dEf9hIjK1mN0p")])),
    "rr-sdes": rr(S, block(A, 12, 7, 0x0001_7530, 240, 0xB2C34000, 0x0000C000))
    + sdes((S, [(1, b"callgate@192.0.2.10"), (6, b"callgate")])),
    "sr-two-blocks": sr(V, 0xE8A1B2C4, 0x80000000, 90000, 300, 300000,
                        block(S, 255, -5, 0x0002_0000, 1000, 0, 0),
                        block(A, 1, 0x7FFFFF, 10, 0, 1, 2)),
    "nack-reduced-size": feedback(205, 1, S, V, struct.pack("!HH", 12005, 0b1010)),
    "pli": feedback(206, 1, S, V),
    "fir": feedback(206, 4, S, 0, struct.pack("!IB3x", V, 7)),
    "remb": feedback(206, 15, S, 0, b"REMB" + bytes([2, (3 << 2) | 1]) + b"\x86\xA0"
                     + struct.pack("!II", A, V)),
    # base seq 1, 3 packets, reference time, count 1, one run-length chunk
    # (small deltas), three deltas, padding to 32 bits
    "transport-cc": feedback(205, 15, A, V, bytes.fromhex("0001 0003 0a0b0c 01 2003 04 08 0c")
                             + bytes(3)),
    "bye-reason": rr(S) + bye([S], b"call ended"),
    "app": rtcp(204, 1, struct.pack("!I", S) + b"CGTE" + bytes(8)),
    "xr-rrtr-dlrr": rtcp(207, 0, struct.pack("!I", S) + bytes.fromhex("04000002")
                         + struct.pack("!II", 0xE8A1B2C3, 0x40000000)
                         + bytes.fromhex("05000003") + struct.pack("!III", A, 0xB2C34000, 65536)),
    "sr-sdes-bye": sr(S, 1, 2, 3, 4, 5) + sdes((S, [(1, b"x")]), (A, [(2, b"name"), (3, b"e@x")]))
    + bye([S, A]),
    "padded-last": rr(S) + rtcp(203, 1, struct.pack("!I", S), padding=8),
    "empty-rr": rr(S),
}

write("fuzz_rtp", rtp_seeds)
write("fuzz_rtcp", rtcp_seeds)
