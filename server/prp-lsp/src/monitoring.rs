//! Reading an orchestrator's monitoring endpoint: one bounded HTTP GET. The poller calls it
//! off the async threads; a slow or dead endpoint costs at most the timeout, never a request.

use std::time::Duration;

/// The body of `url`, or why it could not be had (in words for the user).
pub fn fetch(url: &str, timeout: Duration) -> Result<String, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(|e| match e {
        ureq::Error::Timeout(_) => {
            format!("no answer from {url} within {} s", timeout.as_secs_f32())
        }
        other => format!("cannot reach {url}: {other}"),
    })?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("{url} answered HTTP {}", status.as_u16()));
    }
    response
        .body_mut()
        .with_config()
        .limit(16 * 1024 * 1024)
        .read_to_string()
        .map_err(|e| format!("cannot read the answer of {url}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    /// A one-shot server on 127.0.0.1 answering with `response` (or never, when `None`).
    fn serve(response: Option<&'static str>) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = [0u8; 1024];
            let _ = stream.read(&mut request);
            match response {
                Some(r) => {
                    let _ = stream.write_all(r.as_bytes());
                }
                None => std::thread::sleep(Duration::from_secs(3)),
            }
        });
        format!("http://{address}/agents")
    }

    #[test]
    fn reads_the_body() {
        let url = serve(Some(
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]",
        ));
        assert_eq!(fetch(&url, Duration::from_secs(2)).unwrap(), "[]");
    }

    #[test]
    fn an_error_status_is_an_error() {
        let url = serve(Some(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ));
        assert!(fetch(&url, Duration::from_secs(2))
            .unwrap_err()
            .contains("503"));
    }

    #[test]
    fn a_silent_server_times_out() {
        let url = serve(None);
        let started = std::time::Instant::now();
        let err = fetch(&url, Duration::from_millis(300)).unwrap_err();
        assert!(err.contains("no answer"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn nobody_listening_is_an_error() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/agents", listener.local_addr().unwrap());
        drop(listener);
        assert!(fetch(&url, Duration::from_secs(1))
            .unwrap_err()
            .contains("cannot reach"));
    }
}
