//! Connection limits over raw TCP against the real binary: heads that stall, idle kept-alive
//! connections, trickled bodies, clients that stop reading, more connections than the cap or the
//! open-file limit, and shutdown. The server runs with short timeouts; the tests wait for what
//! must happen (the server closes, an answer arrives) and never time the server: the only bound,
//! [`HANG_GUARD`], fails a test that would otherwise hang.

mod support;

use serde_json::Value;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};
use support::{is_hex_id, Server};

/// How long a test waits for something that must happen before it calls it hung.
const HANG_GUARD: Duration = Duration::from_secs(60);

const KEEP_ALIVE_GET: &[u8] = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

fn address(server: &Server) -> SocketAddr {
    server.base.trim_start_matches("http://").parse().expect("the base URL names an address")
}

fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(address(server)).expect("connect to the server");
    stream.set_read_timeout(Some(HANG_GUARD)).expect("set a read timeout");
    stream
}

/// Everything the server sends until it closes the connection; fails if it does not close it.
fn read_until_closed(stream: &mut TcpStream, case: &str) -> Vec<u8> {
    let mut received = Vec::new();
    let mut buffer = [0u8; 64 * 1024];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return received,
            Ok(read) => received.extend_from_slice(&buffer[..read]),
            // Closed with bytes of ours unread: the kernel resets instead of closing.
            Err(err) if err.kind() == ErrorKind::ConnectionReset => return received,
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => panic!(
                "{case}: the server did not close the connection within {HANG_GUARD:?}; it sent {:?}",
                String::from_utf8_lossy(&received)
            ),
            Err(err) => panic!("{case}: {err}"),
        }
    }
}

/// An answer's status line, headers (names in lower case) and body.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers.iter().find(|(n, _)| n == name).map_or("", |(_, value)| value.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|err| panic!("not JSON ({err}): {}", String::from_utf8_lossy(&self.body)))
    }
}

fn parse_head(head: &[u8]) -> (u16, Vec<(String, String)>) {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP status line: {status_line:?}"));
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    (status, headers)
}

/// Reads one answer's head, byte by byte so nothing after it is consumed.
fn read_head(stream: &mut TcpStream) -> (u16, Vec<(String, String)>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            other => {
                panic!("the connection ended inside an answer's head ({other:?}): {:?}", String::from_utf8_lossy(&head))
            }
        }
    }
    parse_head(&head)
}

/// Reads one answer with a `Content-Length`, leaving the connection open.
fn read_answer(stream: &mut TcpStream) -> Answer {
    let (status, headers) = read_head(stream);
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or_else(|| panic!("{status}: no Content-Length in {headers:?}"));
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).expect("the answer's body");
    Answer { status, headers, body }
}

/// An answer read until the server closed the connection.
fn parse_answer(received: &[u8], case: &str) -> Answer {
    let end = received
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("{case}: no answer, only {:?}", String::from_utf8_lossy(received)));
    let (status, headers) = parse_head(&received[..end + 4]);
    Answer { status, headers, body: received[end + 4..].to_vec() }
}

/// `GET path` on a new connection.
fn get(server: &Server, path: &str) -> Answer {
    let mut stream = connect(server);
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("send the request");
    let received = read_until_closed(&mut stream, path);
    parse_answer(&received, path)
}

/// `GET path`, again on a new connection as long as the server closes them unanswered.
fn get_when_served(server: &Server, path: &str) -> Answer {
    let since = Instant::now();
    loop {
        let mut stream = connect(server);
        let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        // The server may close the connection before the request is written.
        let _ = stream.write_all(request.as_bytes());
        let received = read_until_closed(&mut stream, path);
        if !received.is_empty() {
            return parse_answer(&received, path);
        }
        assert!(since.elapsed() < HANG_GUARD, "{path}: every connection closed unanswered for {HANG_GUARD:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn wait_until(case: &str, mut condition: impl FnMut() -> bool) {
    let since = Instant::now();
    while !condition() {
        assert!(since.elapsed() < HANG_GUARD, "{case}: not so after {HANG_GUARD:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A file of `size` bytes in the served dashboard folder, at `/<name>`.
fn serve_file(server: &Server, name: &str, size: usize) {
    let chunk = vec![b'x'; 1024 * 1024];
    let mut file = std::fs::File::create(server.dist.join(name)).expect("create the file");
    for _ in 0..size / chunk.len() {
        file.write_all(&chunk).expect("write the file");
    }
}

/// The server's open file descriptors.
#[cfg(target_os = "linux")]
fn open_files(server: &Server) -> usize {
    std::fs::read_dir(format!("/proc/{}/fd", server.child.id())).map(Iterator::count).unwrap_or(0)
}

/// Lets this test process hold more sockets than a 1,024 soft limit allows.
#[cfg(unix)]
fn raise_own_open_file_limit() {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only access the struct they are given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

#[test]
fn a_head_that_stalls_is_cut_off_after_the_header_timeout() {
    let server = Server::start(&[("--header-timeout", "1s"), ("--idle-timeout", "10m")]);

    let mut fresh = connect(&server);
    fresh.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n").expect("send half a head");
    let sent = read_until_closed(&mut fresh, "half a head on a new connection");
    assert!(sent.is_empty(), "closed without an answer: {:?}", String::from_utf8_lossy(&sent));

    // On a kept-alive connection the header timer starts at the head's first byte; the long idle
    // timeout before it does not protect a head that stalls.
    let mut kept = connect(&server);
    kept.write_all(KEEP_ALIVE_GET).expect("send a request");
    assert_eq!(read_answer(&mut kept).status, 200);
    kept.write_all(b"GET / HTTP/1.1\r\nHost: 127").expect("send half a head");
    let sent = read_until_closed(&mut kept, "half a head on a kept-alive connection");
    assert!(sent.is_empty(), "closed without an answer: {:?}", String::from_utf8_lossy(&sent));

    assert_eq!(get(&server, "/").status, 200, "others are still served");
}

#[test]
fn a_kept_alive_connection_left_idle_is_closed() {
    let server = Server::start(&[("--idle-timeout", "1s"), ("--header-timeout", "10m")]);
    let mut kept = connect(&server);
    kept.write_all(KEEP_ALIVE_GET).expect("send a request");
    let answer = read_answer(&mut kept);
    assert_eq!(answer.status, 200);
    assert_ne!(answer.header("connection"), "close", "the answer keeps the connection alive");
    let sent = read_until_closed(&mut kept, "an idle kept-alive connection");
    assert!(sent.is_empty(), "{:?}", String::from_utf8_lossy(&sent));
}

#[test]
fn at_the_connection_limit_a_new_client_takes_the_place_of_the_longest_idle() {
    let server = Server::start(&[("--max-connections", "8"), ("--idle-timeout", "10m"), ("--header-timeout", "10m")]);
    let mut held: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut stream = connect(&server);
            stream.write_all(KEEP_ALIVE_GET).expect("send a request");
            assert_eq!(read_answer(&mut stream).status, 200);
            stream
        })
        .collect();

    assert_eq!(get(&server, "/").status, 200, "a ninth client is served");
    let sent = read_until_closed(&mut held[0], "the connection idle longest");
    assert!(sent.is_empty(), "{:?}", String::from_utf8_lossy(&sent));
    // Only that one made room: the others still work.
    for stream in &mut held[1..] {
        stream.write_all(KEEP_ALIVE_GET).expect("send a request");
        assert_eq!(read_answer(stream).status, 200);
    }
}

/// A connection from `source` (another loopback address is another client).
fn connect_from(server: &Server, source: &str) -> TcpStream {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build().expect("a runtime");
    let stream = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
        socket.bind(format!("{source}:0").parse().expect("an address")).expect("bind the client's address");
        socket.connect(address(server)).await.expect("connect to the server")
    });
    let stream = stream.into_std().expect("a blocking stream");
    stream.set_nonblocking(false).expect("blocking");
    stream.set_read_timeout(Some(HANG_GUARD)).expect("set a read timeout");
    stream
}

#[test]
fn a_client_flooding_the_server_with_connections_closes_only_its_own() {
    let server = Server::start(&[("--max-connections", "8"), ("--idle-timeout", "10m"), ("--header-timeout", "10m")]);
    // Another client's kept-alive connection, the longest-waiting of all.
    let mut other = connect_from(&server, "127.0.0.2");
    other.write_all(KEEP_ALIVE_GET).expect("send a request");
    assert_eq!(read_answer(&mut other).status, 200);

    // Three times the cap in connections from one client, all waiting.
    let flood: Vec<TcpStream> = (0..24).map(|_| connect(&server)).collect();
    // The flooding client's own next request is served in the place of one of its own...
    assert_eq!(get(&server, "/").status, 200);
    // ...and the other client's connection still serves it.
    other.write_all(KEEP_ALIVE_GET).expect("send a request");
    assert_eq!(read_answer(&mut other).status, 200);
    drop(flood);
}

/// Starts a CDN refresh call whose body never comes; returns once the handler waits for it
/// (hyper sends `100 Continue` when the handler first reads the body).
fn start_waiting_body(server: &Server) -> TcpStream {
    let mut stream = connect(server);
    let head = "POST /v1.0/cdn/content/refresh-tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
                Content-Length: 100\r\nExpect: 100-continue\r\n\r\n";
    stream.write_all(head.as_bytes()).expect("send the head");
    let (status, _) = read_head(&mut stream);
    assert_eq!(status, 100, "the handler reads the body");
    stream
}

#[test]
fn when_every_connection_is_busy_a_new_one_is_closed_unanswered() {
    let server = Server::start(&[("--max-connections", "2"), ("--body-timeout", "10m")]);
    let mut busy = vec![start_waiting_body(&server), start_waiting_body(&server)];

    let mut third = connect(&server);
    // The server may close the connection before the request is written.
    let _ = third.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    let sent = read_until_closed(&mut third, "a connection beyond the limit");
    assert!(sent.is_empty(), "closed unanswered, not {:?}", String::from_utf8_lossy(&sent));

    // A connection that ends gives its place back.
    drop(busy.remove(0));
    assert_eq!(get_when_served(&server, "/").status, 200);
}

#[test]
fn one_client_cannot_keep_every_place_busy() {
    // Of 16 places a quarter (4) are kept once the others are taken: one client may go beyond its
    // share (8, the least) only while more than 4 are free, so it gets 12 at most.
    let server = Server::start(&[("--max-connections", "16"), ("--body-timeout", "10m")]);
    let busy: Vec<TcpStream> = (0..12).map(|_| start_waiting_body(&server)).collect();

    let mut thirteenth = connect(&server);
    let _ = thirteenth.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    let sent = read_until_closed(&mut thirteenth, "a 13th connection of a client whose twelve are busy");
    assert!(sent.is_empty(), "closed unanswered, not {:?}", String::from_utf8_lossy(&sent));

    // The places it may not take are there for others.
    let mut other = connect_from(&server, "127.0.0.2");
    other.write_all(KEEP_ALIVE_GET).expect("send a request");
    assert_eq!(read_answer(&mut other).status, 200);
    drop(busy);
}

/// Sends a head promising 100 bytes of body and a few of them, then waits for the answer.
fn trickle(server: &Server, head: &str) -> Answer {
    let mut stream = connect(server);
    let request =
        format!("{head}Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"a\":");
    stream.write_all(request.as_bytes()).expect("send the head and a little body");
    let case = head.lines().next().unwrap_or_default();
    let received = read_until_closed(&mut stream, case);
    parse_answer(&received, case)
}

#[test]
fn a_body_that_does_not_arrive_in_time_gets_a_408_in_the_providers_envelope() {
    let server = Server::start(&[("--body-timeout", "1s")]);

    let cdn = trickle(&server, "POST /v1.0/cdn/content/refresh-tasks HTTP/1.1\r\n");
    assert_eq!(cdn.status, 408, "{cdn:?}");
    assert!(is_hex_id(cdn.header("x-request-id")), "{cdn:?}");
    assert!(cdn.header("content-type").starts_with("application/json"), "{cdn:?}");
    let body = cdn.json();
    assert_eq!(body["error"]["error_code"], "DESK.0408", "{body}");
    assert!(body["error"]["error_msg"].as_str().is_some_and(|m| m.contains("body")), "{body}");

    let iotda = trickle(&server, "POST /v5/iot/project-1/export-tasks HTTP/1.1\r\n");
    assert_eq!(iotda.status, 408, "{iotda:?}");
    let body = iotda.json();
    assert_eq!(body["error_code"], "DESK.0408", "IoTDA's envelope is flat: {body}");
    assert!(body.get("error").is_none(), "{body}");

    let cls = trickle(&server, "POST / HTTP/1.1\r\nX-TC-Action: CreateExport\r\nX-TC-Version: 2020-10-16\r\n");
    assert_eq!(cls.status, 200, "Tencent reports every error in a 200: {cls:?}");
    assert_eq!(cls.header("content-type"), "application/json", "{cls:?}");
    let body = cls.json();
    assert_eq!(body["Response"]["Error"]["Code"], "InvalidRequest", "{body}");
    assert_eq!(body["Response"]["RequestId"], cls.header("x-request-id"), "{body}");

    let admin = trickle(&server, "POST /_mock/clock/advance HTTP/1.1\r\n");
    assert_eq!(admin.status, 408, "{admin:?}");
    assert!(admin.json()["error"].as_str().is_some_and(|m| !m.is_empty()), "{admin:?}");

    assert_eq!(get(&server, "/").status, 200, "the server still serves");
}

#[cfg(target_os = "linux")]
#[test]
fn a_client_that_stops_reading_its_answer_is_disconnected() {
    const SIZE: usize = 64 * 1024 * 1024;
    let server = Server::start(&[("--idle-timeout", "1s")]);
    // More than the kernel's socket buffers on both sides hold.
    serve_file(&server, "big.bin", SIZE);
    let before = open_files(&server);

    let mut reader = connect(&server);
    reader.write_all(b"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("send the request");
    let (status, _) = read_head(&mut reader);
    assert_eq!(status, 200);
    // Reading nothing more: the server gives up the connection (and the file) when it could not
    // write for the idle timeout.
    wait_until("the server closes the unread connection", || open_files(&server) <= before);
    let rest = read_until_closed(&mut reader, "the unread download");
    assert!(rest.len() < SIZE, "the download was cut off, not finished ({} bytes)", rest.len());
}

#[cfg(unix)]
#[test]
fn eleven_hundred_idle_connections_under_a_1024_file_limit_do_not_lock_others_out() {
    raise_own_open_file_limit();
    let server = Server::start_via(
        &["sh", "-c", "ulimit -n 1024 && exec \"$0\" \"$@\""],
        &[("--idle-timeout", "10m"), ("--header-timeout", "10m")],
    );
    let held: Vec<TcpStream> = (0..1100).map(|_| connect(&server)).collect();

    // While all are held, a new client is answered (in the place of one of them).
    assert_eq!(get(&server, "/").status, 200);
    drop(held);
    assert_eq!(get_when_served(&server, "/").status, 200);
}

#[cfg(unix)]
#[test]
fn on_sigterm_answers_in_progress_finish_and_new_connections_are_refused() {
    const SIZE: usize = 16 * 1024 * 1024;
    let mut server = Server::start(&[]);
    serve_file(&server, "big.bin", SIZE);
    let mut reader = connect(&server);
    reader.write_all(b"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("send the request");
    let (status, headers) = read_head(&mut reader);
    assert_eq!(status, 200, "{headers:?}");

    let pid = libc::pid_t::try_from(server.child.id()).expect("a pid");
    // SAFETY: kill only sends a signal to the process the test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let address = address(&server);
    wait_until("the server stops accepting", || TcpStream::connect(address).is_err());

    let rest = read_until_closed(&mut reader, "the download in progress");
    assert_eq!(rest.len(), SIZE, "the download in progress is finished");
    let since = Instant::now();
    let exit = loop {
        if let Some(exit) = server.child.try_wait().expect("the server's status") {
            break exit;
        }
        assert!(since.elapsed() < HANG_GUARD, "the server did not exit after its last answer");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit}");
}
