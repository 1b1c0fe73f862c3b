//! Which client a request comes from: the peer's address, or, behind a reverse proxy the operator
//! trusts (`--trusted-proxies`), the address that proxy saw (`X-Forwarded-For`). A public demo
//! counts its per-visitor limits under it.
//!
//! `X-Forwarded-For` is written by every hop that handles a request, the client's own claims
//! first: only the hops appended by trusted proxies are believed, so the client is the rightmost
//! address no trusted proxy stands for. Anything a client sends before that is ignored. The
//! proxies are named by [`IpRange`]s, which the command line reads.

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// What one visitor's limits are counted under: an IPv4 address, or an IPv6 /56 — what an ISP
/// gives one home subscriber (RIPE-690), whose every address a visitor could otherwise rotate
/// through for fresh limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientKey {
    V4(Ipv4Addr),
    V6Network(u64),
}

/// The bits of an IPv6 address below a subscriber's /56.
const V6_HOST_BITS: u32 = 72;

impl ClientKey {
    pub fn of(address: IpAddr) -> Self {
        match address.to_canonical() {
            IpAddr::V4(v4) => Self::V4(v4),
            IpAddr::V6(v6) => Self::V6Network((u128::from(v6) >> V6_HOST_BITS) as u64),
        }
    }
}

impl std::fmt::Display for ClientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::V4(address) => write!(f, "{address}"),
            Self::V6Network(prefix) => {
                let network = std::net::Ipv6Addr::from(u128::from(*prefix) << V6_HOST_BITS);
                write!(f, "{network}/{}", 128 - V6_HOST_BITS)
            }
        }
    }
}

/// An address or a CIDR range of them (`10.0.0.0/8`, `::1`, `fd00::/8`): what `--trusted-proxies`
/// lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix_len: u8,
}

impl IpRange {
    /// `10.0.0.0/8`, `fd00::/8`, or one address; the error says what is wrong, for the command line.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr = address.parse().map_err(|_| format!("`{text}` is not an IP address or CIDR range"))?;
        let network = network.to_canonical();
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix_len = match prefix {
            None => max,
            Some(prefix) => prefix
                .parse::<u8>()
                .ok()
                .filter(|len| *len <= max)
                .ok_or_else(|| format!("`{text}`: the prefix length must be a number from 0 to {max}"))?,
        };
        Ok(Self { network, prefix_len })
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        match (self.network, address.to_canonical()) {
            (IpAddr::V4(network), IpAddr::V4(address)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix_len)).unwrap_or(0);
                u32::from(network) & mask == u32::from(address) & mask
            }
            (IpAddr::V6(network), IpAddr::V6(address)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix_len)).unwrap_or(0);
                u128::from(network) & mask == u128::from(address) & mask
            }
            _ => false,
        }
    }
}

/// The client's address: the peer's (from the connection), or the one trusted proxies name.
/// `None` only when the server runs without connection information (in-process tests).
pub fn address(peer: Option<&ConnectInfo<SocketAddr>>, headers: &HeaderMap, trusted: &[IpRange]) -> Option<IpAddr> {
    let peer = peer?.0.ip().to_canonical();
    Some(forwarded_for(peer, headers, trusted))
}

fn forwarded_for(peer: IpAddr, headers: &HeaderMap, trusted: &[IpRange]) -> IpAddr {
    let is_trusted = |address: IpAddr| trusted.iter().any(|range| range.contains(address));
    let mut client = peer;
    if !is_trusted(client) {
        return client;
    }
    // Every X-Forwarded-For header in order, each a comma-separated list: one list of hops.
    // Split as bytes: a client's hop that is not text must not take the trusted hops after it
    // (in the same header line, as proxies append them) out of the count.
    let hops: Vec<&[u8]> =
        headers.get_all("x-forwarded-for").iter().flat_map(|value| value.as_bytes().split(|&b| b == b',')).collect();
    for hop in hops.iter().rev() {
        // A hop that is not an address is a client's invention (or a proxy we do not
        // understand): stop at the last address a trusted proxy vouched for.
        let Some(address) = std::str::from_utf8(hop).ok().and_then(parse_hop) else { break };
        client = address;
        if !is_trusted(address) {
            break;
        }
    }
    client
}

/// `203.0.113.7`, `2001:db8::1`, `[2001:db8::1]:443`, `203.0.113.7:8080`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(address) = hop.parse::<IpAddr>() {
        return Some(address.to_canonical());
    }
    hop.parse::<SocketAddr>().ok().map(|socket| socket.ip().to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn range(text: &str) -> IpRange {
        IpRange::parse(text).unwrap()
    }

    fn forwarded(values: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", HeaderValue::from_static(value));
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let trusted = [range("10.0.0.0/8")];
        let headers = forwarded(&["203.0.113.9"]);
        assert_eq!(forwarded_for(ip("198.51.100.1"), &headers, &trusted), ip("198.51.100.1"));
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let trusted = [range("10.0.0.0/8"), range("127.0.0.1")];
        let headers = forwarded(&["1.2.3.4, 203.0.113.9", "10.1.1.1"]);
        assert_eq!(
            forwarded_for(ip("127.0.0.1"), &headers, &trusted),
            ip("203.0.113.9"),
            "1.2.3.4 is the client's claim"
        );
        assert_eq!(
            forwarded_for(ip("127.0.0.1"), &HeaderMap::new(), &trusted),
            ip("127.0.0.1"),
            "no header: the proxy"
        );
        let garbage = forwarded(&["203.0.113.9, not-an-address", "10.1.1.1"]);
        assert_eq!(forwarded_for(ip("127.0.0.1"), &garbage, &trusted), ip("10.1.1.1"));
        let mut not_text = HeaderMap::new();
        let line = HeaderValue::from_bytes(b"\xff\xfe, 203.0.113.9, 10.1.1.1").unwrap();
        not_text.append("x-forwarded-for", line);
        assert_eq!(
            forwarded_for(ip("127.0.0.1"), &not_text, &trusted),
            ip("203.0.113.9"),
            "bytes that are not text in the client's part do not hide the hops proxies appended"
        );
        let ported = forwarded(&["[2001:db8::7]:443"]);
        assert_eq!(forwarded_for(ip("127.0.0.1"), &ported, &trusted), ip("2001:db8::7"));
    }

    #[test]
    fn ipv6_visitors_are_counted_by_their_56_network() {
        assert_eq!(ClientKey::of(ip("2001:db8:1:2::1")), ClientKey::of(ip("2001:db8:1:2:ffff::9")));
        assert_eq!(ClientKey::of(ip("2001:db8:1:2::1")), ClientKey::of(ip("2001:db8:1:ff::1")), "one /56");
        assert_ne!(ClientKey::of(ip("2001:db8:1:2::1")), ClientKey::of(ip("2001:db8:1:102::1")));
        assert_eq!(ClientKey::of(ip("::ffff:192.0.2.1")), ClientKey::V4(Ipv4Addr::new(192, 0, 2, 1)));
        assert_eq!(ClientKey::of(ip("2001:db8:1:2::1")).to_string(), "2001:db8:1::/56");
    }
}
