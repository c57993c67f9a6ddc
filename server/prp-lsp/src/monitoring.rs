//! Reading an orchestrator's monitoring endpoint: one bounded HTTP GET. The poller calls it
//! off the async threads; a slow or dead endpoint costs at most the timeout, never a request.
//! The URL may come from a repository's configuration (used only once the user allowed it),
//! so the request stays where it was pointed: http or https only, redirects followed only
//! to the same scheme, host and port, and the answer capped.

use std::time::Duration;

use ureq::http::Uri;

/// The largest answer read; agent status for hundreds of agents is a few hundred KB.
const MAX_BODY: u64 = 16 * 1024 * 1024;
/// Same-origin redirects followed before giving up.
const MAX_REDIRECTS: usize = 3;

/// Scheme, host and port of an http(s) URL.
fn origin(uri: &Uri) -> Option<(String, String, u16)> {
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let host = uri.host()?.to_ascii_lowercase();
    Some((scheme, host, uri.port_u16().unwrap_or(default_port)))
}

/// The body of `url`, or why it could not be had (in words for the user).
pub fn fetch(url: &str, timeout: Duration) -> Result<String, String> {
    let start: Uri = url
        .parse()
        .map_err(|_| format!("`{url}` is not a valid URL"))?;
    let home =
        origin(&start).ok_or_else(|| format!("`{url}` is not an http:// or https:// URL"))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let mut current = start;
    for _ in 0..=MAX_REDIRECTS {
        let mut response = agent.get(&current).call().map_err(|e| match e {
            ureq::Error::Timeout(_) => {
                format!("no answer from {url} within {} s", timeout.as_secs_f32())
            }
            other => format!("cannot reach {url}: {other}"),
        })?;
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .unwrap_or_default()
                .to_string();
            current = same_origin_target(&current, &location, &home).ok_or_else(|| {
                format!(
                    "{url} redirects to `{location}`, which is not on the same host; prp-lsp follows redirects only within {}://{}:{}",
                    home.0, home.1, home.2
                )
            })?;
            continue;
        }
        if !status.is_success() {
            return Err(format!("{url} answered HTTP {}", status.as_u16()));
        }
        return response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string()
            .map_err(|e| format!("cannot read the answer of {url}: {e}"));
    }
    Err(format!("{url} redirects more than {MAX_REDIRECTS} times"))
}

/// Where a redirect leads when it stays on `home`'s scheme, host and port.
fn same_origin_target(current: &Uri, location: &str, home: &(String, String, u16)) -> Option<Uri> {
    let target: Uri = if location.starts_with('/') && !location.starts_with("//") {
        let mut parts = current.clone().into_parts();
        parts.path_and_query = Some(location.parse().ok()?);
        Uri::from_parts(parts).ok()?
    } else {
        location.parse().ok()?
    };
    (origin(&target).as_ref() == Some(home)).then_some(target)
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

    /// A server on 127.0.0.1 answering its connections with `responses`, in order.
    fn serve_each(responses: Vec<String>) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for response in responses {
                let (mut stream, _) = listener.accept().unwrap();
                let mut request = [0u8; 1024];
                let _ = stream.read(&mut request);
                let _ = stream.write_all(response.as_bytes());
            }
        });
        format!("http://{address}/agents")
    }

    fn redirect(location: &str) -> String {
        format!("HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    }

    #[test]
    fn redirects_are_followed_on_the_same_host_only() {
        let ok = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\n[{}]";
        let url = serve_each(vec![redirect("/v2/agents"), ok.to_string()]);
        assert_eq!(fetch(&url, Duration::from_secs(2)).unwrap(), "[{}]");
        for elsewhere in [
            "http://169.254.169.254/latest/meta-data",
            "https://example.com/x",
            "//example.com/x",
            "ftp://x/y",
        ] {
            let url = serve_each(vec![redirect(elsewhere)]);
            let err = fetch(&url, Duration::from_secs(2)).unwrap_err();
            assert!(
                err.contains("not on the same host") && err.contains(elsewhere),
                "{elsewhere}: {err}"
            );
        }
        let url = serve_each(vec![redirect("/a"); 5]);
        let err = fetch(&url, Duration::from_secs(2)).unwrap_err();
        assert!(err.contains("redirects more than"), "{err}");
    }

    #[test]
    fn only_http_urls_are_fetched() {
        for url in ["file:///etc/passwd", "ftp://x/y", "gopher://x", "not a url"] {
            assert!(fetch(url, Duration::from_secs(1)).is_err(), "{url}");
        }
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
