use crate::i18n;
use leptos::prelude::*;

/// The link if it is safe to follow: only `http` and `https` (a `javascript:` or `data:` link
/// from a compromised or buggy server must never become clickable).
pub fn safe_href(link: &str) -> Option<&str> {
    let link = link.trim();
    let scheme = link.split_once("://")?.0;
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")).then_some(link)
}

/// A download button for a finished task, or nothing when there is no safe link. `label`: the
/// kind's own word for it, else "Download" in the reader's language.
#[component]
pub fn DownloadLink(link: Option<String>, #[prop(optional)] label: Option<&'static str>) -> impl IntoView {
    let t = i18n::t();
    link.as_deref().and_then(safe_href).map(|href| {
        view! {
            <a class="button download" href=href.to_owned() download="" rel="noopener noreferrer">
                {label.unwrap_or(t.common.download)}
            </a>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::safe_href;

    #[test]
    fn only_http_and_https_links_are_followed() {
        assert_eq!(safe_href("https://obs.example.com/a.csv"), Some("https://obs.example.com/a.csv"));
        assert_eq!(safe_href(" HTTP://x/y "), Some("HTTP://x/y"));
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert_eq!(safe_href("javascript://%0aalert(1)"), None);
        assert_eq!(safe_href("data:text/html,hi"), None);
        assert_eq!(safe_href("/relative/file.csv"), None);
        assert_eq!(safe_href(""), None);
    }
}
