"""Addresses for a served class: who can reach it, said plainly, and the link to give students."""

from __future__ import annotations

import ipaddress
import socket


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_every_interface(host: str) -> bool:
    return host in ("", "0.0.0.0", "::", "[::]")


def url_for(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


def reach_line(host: str, port: int, *, what: str = "the game") -> str:
    """Who can open it, said plainly."""
    if is_loopback(host):
        return (f"Only this computer can open {what}. For a classroom network, use --host "
                "(see the facilitator guide).")
    if is_every_interface(host):
        where = "anyone who can reach this computer on any of its networks"
    else:
        where = f"anyone who can reach {host} on your network"
    return (f"Heads up: {where} can open {what} at port {port}, with no password. Use a school network "
            "you trust, and stop the server (Ctrl+C) when the class is done.")


def network_address() -> str | None:
    """This computer's address on the local network, best effort: a UDP socket is pointed at a
    private address to learn which interface would be used; nothing is sent."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def join_url(host: str, port: int) -> str:
    """The address students type or scan: the network address when serving every interface."""
    if is_every_interface(host):
        lan = network_address()
        return url_for(lan, port) + "/" if lan else f"http://<this computer's address>:{port}/"
    return url_for(host, port) + "/"


def own_url(host: str, port: int) -> str:
    """The address the facilitator opens on this computer."""
    if is_every_interface(host):
        return url_for("127.0.0.1" if host in ("", "0.0.0.0") else "::1", port)
    return url_for(host, port)
