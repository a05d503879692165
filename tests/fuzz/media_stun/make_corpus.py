#!/usr/bin/env python3
"""Writes the seed corpus for fuzz_stun: the RFC 5769 vectors and the STUN
messages ICE peers exchange, signed with the fuzzer's key "fuzz-key" so the
integrity path is exercised past the comparison. Rewrites
tests/fuzz/corpus/fuzz_stun/."""

import hashlib
import hmac
import ipaddress
import pathlib
import struct
import zlib

CORPUS = pathlib.Path(__file__).resolve().parents[1] / "corpus" / "fuzz_stun"
COOKIE = 0x2112A442
KEY = b"fuzz-key"


def attr(kind, value, pad=b"\0"):
    return struct.pack("!HH", kind, len(value)) + value + pad * (-len(value) % 4)


def message_type(method, cls):
    return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2) | \
        ((cls & 1) << 4) | ((cls & 2) << 7)


def message(method, cls, tid, attrs, key=None, fingerprint=True):
    body = b"".join(attrs)
    header = lambda extra: struct.pack("!HHI", message_type(method, cls), len(body) + extra,
                                       COOKIE) + tid
    if key is not None:
        mac = hmac.new(key, header(24) + body, hashlib.sha1).digest()
        body += attr(0x0008, mac)
    if fingerprint:
        crc = (zlib.crc32(header(8) + body) ^ 0x5354554E) & 0xFFFFFFFF
        body += attr(0x8028, struct.pack("!I", crc))
    return header(0) + body


def xor_address(address, port, tid):
    ip = ipaddress.ip_address(address)
    mask = struct.pack("!I", COOKIE) + tid
    raw = bytes(a ^ b for a, b in zip(ip.packed, mask))
    return attr(0x0020, struct.pack("!BBH", 0, 1 if ip.version == 4 else 2,
                                    port ^ (COOKIE >> 16)) + raw)


def error_code(code, reason):
    return attr(0x0009, struct.pack("!HBB", 0, code // 100, code % 100) + reason)


REQUEST, INDICATION, SUCCESS, ERROR = 0, 1, 2, 3
BINDING = 0x001
T1 = bytes.fromhex("b7e7a701bc34d686fa87dfae")
T2 = bytes.fromhex("0123456789abcdef01234567")
T3 = bytes.fromhex("a1b2c3d4e5f60718293a4b5c")

seeds = {
    # RFC 5769 §2.1-2.3, verbatim (padding with spaces).
    "rfc5769-request": bytes.fromhex(
        "000100582112a442b7e7a701bc34d686fa87dfae"
        "802200105354554e207465737420636c69656e74"
        "002400046e0001ff"
        "80290008932ff9b151263b36"
        "000600096576746a3a68367659202020"
        "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
        "80280004e57a3bcf"),
    "rfc5769-ipv4-response": bytes.fromhex(
        "0101003c2112a442b7e7a701bc34d686fa87dfae"
        "8022000b7465737420766563746f7220"
        "002000080001a147e112a643"
        "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
        "80280004c07d4c96"),
    "rfc5769-ipv6-response": bytes.fromhex(
        "010100482112a442b7e7a701bc34d686fa87dfae"
        "8022000b7465737420766563746f7220"
        "002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9"
        "00080014a382954e4be67bf11784c97c8292c275bfe3ed41"
        "80280004c8fb0b4c"),
    # ICE connectivity checks (RFC 8445 §7.1.1) as a browser sends them.
    "ice-check-controlling": message(BINDING, REQUEST, T2, [
        attr(0x0006, b"aB3d:xY9z"),
        attr(0xC057, bytes.fromhex("00010005")),  # GOOG-NETWORK-INFO
        attr(0x802A, bytes.fromhex("1a2b3c4d5e6f7081")),
        attr(0x0024, struct.pack("!I", 1853824767)),
    ], key=KEY),
    "ice-check-nominate": message(BINDING, REQUEST, T2, [
        attr(0x0006, b"aB3d:xY9z"),
        attr(0x0025, b""),
        attr(0x802A, bytes.fromhex("1a2b3c4d5e6f7081")),
        attr(0x0024, struct.pack("!I", 2130706431)),
    ], key=KEY),
    "ice-check-controlled": message(BINDING, REQUEST, T3, [
        attr(0x0006, b"xY9z:aB3d"),
        attr(0x8029, bytes.fromhex("0102030405060708")),
        attr(0x0024, struct.pack("!I", 1694498815)),
    ], key=KEY),
    "success-ipv4": message(BINDING, SUCCESS, T2, [xor_address("198.51.100.7", 50000, T2)],
                            key=KEY),
    "success-ipv6": message(BINDING, SUCCESS, T3, [xor_address("2001:db8::42", 9, T3)], key=KEY),
    "error-role-conflict": message(BINDING, ERROR, T2, [error_code(487, b"Role Conflict")],
                                   key=KEY),
    "error-unauthorized": message(BINDING, ERROR, T3, [
        error_code(401, b"Unauthorized"), attr(0x0014, b"example.org"),
        attr(0x0015, b"f//499k954d6OL34oL9FSTvy64sA"), attr(0x8022, b"callgate")]),
    "indication-keepalive": message(BINDING, INDICATION, T1, []),
    "request-bare": message(BINDING, REQUEST, T1, [], fingerprint=False),
    "request-software-only": message(BINDING, REQUEST, T3, [attr(0x8022, b"callgate 0.1")],
                                     fingerprint=False),
    "unknown-attributes": message(BINDING, ERROR, T1, [
        error_code(420, b"Unknown Attribute"), attr(0x000A, struct.pack("!HH", 0x0031, 0x0032))]),
}

CORPUS.mkdir(parents=True, exist_ok=True)
for old in CORPUS.iterdir():
    old.unlink()
for name, data in seeds.items():
    (CORPUS / name).write_bytes(data)
