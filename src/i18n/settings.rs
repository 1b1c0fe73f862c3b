//! The words of the Settings page: the struct, then English, then Simplified Chinese.

/// Every text of this area in one language.
pub struct Settings {
    pub title: &'static str,
    pub intro: &'static str,
    pub server_label: &'static str,
    pub server_hint: &'static str,
    pub token_label: &'static str,
    pub token_hint: &'static str,
    pub language_legend: &'static str,
    /// The choice that follows the deployment, else the browser.
    pub language_default: &'static str,
    pub zone_legend: &'static str,
    pub zone_default: &'static str,
    /// "This browser's time zone: {zone}".
    pub zone_browser_choice: fn(&str) -> String,
    pub zone_other: &'static str,
    pub zone_other_aria: &'static str,
    /// A typed zone the browser does not know, with an example of one it does.
    pub zone_unknown: fn(&str, &str) -> String,
    /// A zone's name with its offset now: "Europe/Berlin, UTC+1".
    pub zone_name_offset: fn(&str, &str) -> String,
    /// The browser's zone, with its name and offset (or the offset alone): "this browser's ({zone})".
    pub zone_browser: fn(&str) -> String,
    /// Any other named zone: "America/New_York (UTC-5)".
    pub zone_named: fn(&str, &str) -> String,
    /// "Beijing time ({offset})".
    pub zone_beijing: fn(&str) -> String,
    pub save: &'static str,
    pub in_force: &'static str,
    pub now_server: &'static str,
    pub now_server_own: &'static str,
    pub now_zone: &'static str,
    pub now_language: &'static str,
    /// The language in force when nothing chose it: "{language}, from this browser's languages".
    pub now_language_browser: fn(&str) -> String,
    pub now_token: &'static str,
    pub token_set: &'static str,
    pub token_none: &'static str,
    pub now_deploy_file: &'static str,
    pub deploy_not_loaded: fn(&str) -> String,
    pub deploy_absent: fn(&str) -> String,
    /// "{path} sets {what}", `what` being the parts below joined.
    pub deploy_sets: fn(&str, &[String]) -> String,
    pub deploy_sets_nothing: fn(&str) -> String,
    pub sets_server: fn(&str) -> String,
    pub sets_zone: fn(&str) -> String,
    pub sets_language: fn(&str) -> String,
    /// "{path} is ignored: {why}".
    pub deploy_ignored: fn(&str, &str) -> String,
    pub deploy_unreadable: fn(&str) -> String,
    pub deploy_http: fn(u16) -> String,
    pub deploy_holds_token: &'static str,
    /// The JSON reader's own words follow.
    pub problem_json: fn(&str) -> String,
    pub problem_url_scheme: fn(&str) -> String,
    pub problem_url_no_host: fn(&str) -> String,
    pub problem_url_not_plain: fn(&str) -> String,
    pub problem_token_not_ascii: &'static str,
    pub problem_storage_unavailable: &'static str,
    pub problem_storage_refused: &'static str,
}

/// `parts` as English lists them: "a", "a and b", "a, b and c".
fn english_list(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub const EN: Settings = Settings {
    title: "Settings",
    intro: "Kept in this browser. Saving reloads the dashboard with the new settings.",
    server_label: "Export Desk server",
    server_hint: "Leave empty for the server this page came from. Another origin must allow this one (CORS).",
    token_label: "Proxy access token",
    token_hint: "Only for a proxy started with EXPORT_DESK_ACCESS_TOKEN: sent with every call as X-Desk-Token. Kept in this browser only.",
    language_legend: "Language",
    language_default: "As the deployment sets it (default: this browser's languages)",
    zone_legend: "Time zone for times shown and typed",
    zone_default: "As the deployment sets it (default: this browser's)",
    zone_browser_choice: |zone| format!("This browser's time zone: {zone}"),
    zone_other: "Another zone (IANA name):",
    zone_other_aria: "Another time zone, by IANA name",
    zone_unknown: |name, example| {
        format!("This browser does not know the time zone \"{name}\": choose one from the list, such as {example}.")
    },
    zone_name_offset: |name, offset| format!("{name}, {offset}"),
    zone_browser: |zone| format!("this browser's ({zone})"),
    zone_named: |name, offset| format!("{name} ({offset})"),
    zone_beijing: |offset| format!("Beijing time ({offset})"),
    save: "Save settings",
    in_force: "In force now",
    now_server: "Server",
    now_server_own: "This page's own origin",
    now_zone: "Time zone",
    now_language: "Language",
    now_language_browser: |language| format!("{language}, from this browser's languages"),
    now_token: "Proxy access token",
    token_set: "Set in this browser, sent with every call",
    token_none: "None",
    now_deploy_file: "Deployment file",
    deploy_not_loaded: |path| format!("{path} has not been read yet"),
    deploy_absent: |path| format!("none ({path} is not there): the defaults apply"),
    deploy_sets: |path, parts| format!("{path} sets {}", english_list(parts)),
    deploy_sets_nothing: |path| format!("{path} sets nothing: the defaults apply"),
    sets_server: |url| format!("the server {url}"),
    sets_zone: |zone| format!("the time zone {zone}"),
    sets_language: |language| format!("the language {language}"),
    deploy_ignored: |path, why| format!("{path} is ignored: {why}"),
    deploy_unreadable: |error| format!("it could not be read: {error}"),
    deploy_http: |status| format!("it answered HTTP {status}"),
    deploy_holds_token: "it must not hold access_token: anyone can read that file; enter the token in Settings",
    problem_json: |message| format!("not a valid settings file: {message}"),
    problem_url_scheme: |url| format!("`{url}` must start with http:// or https://"),
    problem_url_no_host: |url| format!("`{url}` names no host"),
    problem_url_not_plain: |url| format!("`{url}` must be a plain base URL, without spaces, `?` or `#`"),
    problem_token_not_ascii: "the access token may hold only printable ASCII characters",
    problem_storage_unavailable: "this browser does not allow storing settings",
    problem_storage_refused: "the browser refused to store the settings",
};

pub const ZH_CN: Settings = Settings {
    title: "设置",
    intro: "保存在此浏览器中。保存后控制台会以新设置重新加载。",
    server_label: "Export Desk 服务器",
    server_hint: "留空则使用提供此页面的服务器。其他源的服务器必须允许此源访问（CORS）。",
    token_label: "代理访问令牌",
    token_hint: "仅用于以 EXPORT_DESK_ACCESS_TOKEN 启动的代理：每次调用都以 X-Desk-Token 发送。只保存在此浏览器中。",
    language_legend: "语言",
    language_default: "按部署的设置（默认：此浏览器的语言）",
    zone_legend: "显示和输入时间所用的时区",
    zone_default: "按部署的设置（默认：此浏览器的时区）",
    zone_browser_choice: |zone| format!("此浏览器的时区：{zone}"),
    zone_other: "其他时区（IANA 名称）：",
    zone_other_aria: "其他时区，填写 IANA 名称",
    zone_unknown: |name, example| format!("此浏览器不认识时区“{name}”：请从列表中选择，例如 {example}。"),
    zone_name_offset: |name, offset| format!("{name}，{offset}"),
    zone_browser: |zone| format!("此浏览器的时区（{zone}）"),
    zone_named: |name, offset| format!("{name}（{offset}）"),
    zone_beijing: |offset| format!("北京时间（{offset}）"),
    save: "保存设置",
    in_force: "当前生效",
    now_server: "服务器",
    now_server_own: "此页面所在的源",
    now_zone: "时区",
    now_language: "语言",
    now_language_browser: |language| format!("{language}，来自此浏览器的语言设置"),
    now_token: "代理访问令牌",
    token_set: "已在此浏览器中设置，每次调用都会发送",
    token_none: "无",
    now_deploy_file: "部署文件",
    deploy_not_loaded: |path| format!("尚未读取 {path}"),
    deploy_absent: |path| format!("无（没有 {path}）：使用默认设置"),
    deploy_sets: |path, parts| format!("{path} 设置了{}", parts.join("、")),
    deploy_sets_nothing: |path| format!("{path} 没有设置任何项：使用默认设置"),
    sets_server: |url| format!("服务器 {url}"),
    sets_zone: |zone| format!("时区 {zone}"),
    sets_language: |language| format!("语言 {language}"),
    deploy_ignored: |path, why| format!("已忽略 {path}：{why}"),
    deploy_unreadable: |error| format!("无法读取：{error}"),
    deploy_http: |status| format!("服务器返回 HTTP {status}"),
    deploy_holds_token: "其中不能包含 access_token：任何人都能读取该文件；请在设置页输入令牌",
    problem_json: |message| format!("不是有效的设置文件：{message}"),
    problem_url_scheme: |url| format!("`{url}` 必须以 http:// 或 https:// 开头"),
    problem_url_no_host: |url| format!("`{url}` 没有主机名"),
    problem_url_not_plain: |url| format!("`{url}` 必须是不含空格、`?` 或 `#` 的基础 URL"),
    problem_token_not_ascii: "访问令牌只能包含可打印的 ASCII 字符",
    problem_storage_unavailable: "此浏览器不允许保存设置",
    problem_storage_refused: "浏览器拒绝保存设置",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deployment_files_settings_are_listed_as_each_language_lists() {
        let parts = ["the server https://a.example".to_owned(), "the time zone UTC".to_owned()];
        assert_eq!(
            (EN.deploy_sets)("/export-desk.json", &parts[..1]),
            "/export-desk.json sets the server https://a.example"
        );
        assert_eq!(
            (EN.deploy_sets)("/export-desk.json", &parts),
            "/export-desk.json sets the server https://a.example and the time zone UTC"
        );
        let three =
            [(ZH_CN.sets_server)("https://a.example"), (ZH_CN.sets_zone)("UTC"), (ZH_CN.sets_language)("English")];
        assert_eq!(
            (ZH_CN.deploy_sets)("/export-desk.json", &three),
            "/export-desk.json 设置了服务器 https://a.example、时区 UTC、语言 English"
        );
    }
}
