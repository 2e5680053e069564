"""Lists of IP addresses and CIDR ranges from the settings (trusted proxies, who may read /metrics)."""

from __future__ import annotations

import ipaddress


class AddressRanges:
    def __init__(self, entries: tuple[str, ...], *, setting: str) -> None:
        networks = []
        for entry in entries:
            try:
                networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                raise ValueError(f"{setting}: {entry!r} is not an IP address or CIDR range") from None
        self._networks = tuple(networks)

    def __bool__(self) -> bool:
        return bool(self._networks)

    def __contains__(self, address: str) -> bool:
        if not self._networks:
            return False
        try:
            parsed = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(parsed.version == network.version and parsed in network for network in self._networks)
