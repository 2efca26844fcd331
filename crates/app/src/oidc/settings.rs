//! The OIDC settings, checked once at start-up: all four of issuer,
//! client id, client secret and redirect URL, or none (OIDC off).

use openidconnect::url::{Host, Url};

/// The path Ramp serves the identity provider's answer on; the redirect
/// URL registered with the provider must end in it.
pub const CALLBACK_PATH: &str = "/login/oidc/callback";

/// The claim that carries the user's HSA id unless configured otherwise.
pub const DEFAULT_HSA_ID_CLAIM: &str = "hsa_id";

/// The scopes asked for unless configured otherwise (`openid` is always asked).
pub const DEFAULT_SCOPES: &str = "openid profile";

/// The settings as given (configuration file, environment, flags).
#[derive(Clone, Default)]
pub struct OidcInput {
    pub issuer_url: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub redirect_url: Option<String>,
    pub hsa_id_claim: Option<String>,
    pub scopes: Option<String>,
    pub post_logout_redirect_url: Option<String>,
}

/// How Ramp logs users in through the region's identity provider. The
/// client secret never reaches `Debug` (nor the log).
#[derive(Clone)]
pub struct OidcSettings {
    /// As given: the provider's `iss` must equal it character for character.
    pub issuer_url: String,
    pub client_id: String,
    pub(crate) client_secret: String,
    pub redirect_url: Url,
    /// Where the provider sends the browser after logging out (the login page by default).
    pub post_logout_redirect_url: Url,
    pub hsa_id_claim: String,
    /// Scopes besides `openid`.
    pub scopes: Vec<String>,
}

impl std::fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer_url", &self.issuer_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("redirect_url", &self.redirect_url.as_str())
            .field("post_logout_redirect_url", &self.post_logout_redirect_url.as_str())
            .field("hsa_id_claim", &self.hsa_id_claim)
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// HTTPS, or plain HTTP on the loopback interface only (a provider or a
/// Ramp on the same machine, as in the tests).
fn url(setting: &str, value: &str) -> Result<Url, String> {
    let url = Url::parse(value.trim()).map_err(|e| format!("{setting}: '{value}' is not a URL ({e})"))?;
    let loopback = match url.host() {
        Some(Host::Domain(d)) => d == "localhost",
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(format!("{setting}: '{value}' must use https (plain http only on 127.0.0.1 or localhost)")),
    }
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl OidcSettings {
    /// `None` when no OIDC setting is given; an error naming the setting
    /// when only some are, or one is invalid.
    pub fn from_input(input: &OidcInput) -> Result<Option<OidcSettings>, String> {
        let required = [
            ("oidc_issuer_url", given(&input.issuer_url)),
            ("oidc_client_id", given(&input.client_id)),
            ("oidc_client_secret", given(&input.client_secret)),
            ("oidc_redirect_url", given(&input.redirect_url)),
        ];
        let optional = [&input.hsa_id_claim, &input.scopes, &input.post_logout_redirect_url];
        if required.iter().all(|(_, v)| v.is_none()) {
            if optional.iter().any(|v| given(v).is_some()) {
                return Err("oidc: set oidc_issuer_url, oidc_client_id, oidc_client_secret and oidc_redirect_url \
                     to turn login through the identity provider on"
                    .into());
            }
            return Ok(None);
        }
        if let Some((missing, _)) = required.iter().find(|(_, v)| v.is_none()) {
            return Err(format!(
                "{missing}: required when any OIDC setting is given \
                 (oidc_issuer_url, oidc_client_id, oidc_client_secret, oidc_redirect_url)"
            ));
        }
        let [issuer, client_id, client_secret, redirect] = required.map(|(_, v)| v.unwrap_or_default());
        url("oidc_issuer_url", issuer)?;
        let redirect_url = url("oidc_redirect_url", redirect)?;
        if redirect_url.path() != CALLBACK_PATH || redirect_url.query().is_some() {
            return Err(format!(
                "oidc_redirect_url: '{redirect}' must be Ramp's own address ending in {CALLBACK_PATH}"
            ));
        }
        let post_logout_redirect_url = match given(&input.post_logout_redirect_url) {
            Some(v) => url("oidc_post_logout_redirect_url", v)?,
            None => {
                let mut u = redirect_url.clone();
                u.set_path("/login");
                u
            }
        };
        let hsa_id_claim = given(&input.hsa_id_claim).unwrap_or(DEFAULT_HSA_ID_CLAIM).to_string();
        let scopes = given(&input.scopes)
            .unwrap_or(DEFAULT_SCOPES)
            .split_whitespace()
            .filter(|s| *s != "openid")
            .map(str::to_string)
            .collect();
        Ok(Some(OidcSettings {
            issuer_url: issuer.to_string(),
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            redirect_url,
            post_logout_redirect_url,
            hsa_id_claim,
            scopes,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> OidcInput {
        OidcInput {
            issuer_url: Some("https://idp.regionen.se/oidc".into()),
            client_id: Some("ramp".into()),
            client_secret: Some("hemligt".into()),
            redirect_url: Some("https://ramp.regionen.se/login/oidc/callback".into()),
            ..OidcInput::default()
        }
    }

    #[test]
    fn no_oidc_setting_turns_oidc_off() {
        assert!(OidcSettings::from_input(&OidcInput::default()).unwrap().is_none());
    }

    #[test]
    fn four_settings_turn_it_on_with_defaults_for_the_rest() {
        let s = OidcSettings::from_input(&full()).unwrap().unwrap();
        assert_eq!(s.hsa_id_claim, "hsa_id");
        assert_eq!(s.scopes, vec!["profile".to_string()]);
        assert_eq!(s.post_logout_redirect_url.as_str(), "https://ramp.regionen.se/login");
        assert!(!format!("{s:?}").contains("hemligt"), "the secret is redacted");
    }

    #[test]
    fn a_missing_or_invalid_setting_is_named() {
        let err = OidcSettings::from_input(&OidcInput { client_secret: None, ..full() }).unwrap_err();
        assert!(err.starts_with("oidc_client_secret:"), "{err}");
        let plain = OidcInput { issuer_url: Some("http://idp.regionen.se".into()), ..full() };
        assert!(OidcSettings::from_input(&plain).unwrap_err().starts_with("oidc_issuer_url:"));
        let elsewhere = OidcInput { redirect_url: Some("https://ramp.regionen.se/cb".into()), ..full() };
        assert!(OidcSettings::from_input(&elsewhere).unwrap_err().starts_with("oidc_redirect_url:"));
        let only_claim = OidcInput { hsa_id_claim: Some("hsaid".into()), ..OidcInput::default() };
        assert!(OidcSettings::from_input(&only_claim).is_err());
    }

    #[test]
    fn plain_http_is_accepted_on_loopback_only() {
        let local = OidcInput {
            issuer_url: Some("http://127.0.0.1:4000".into()),
            redirect_url: Some("http://localhost:8080/login/oidc/callback".into()),
            ..full()
        };
        assert!(OidcSettings::from_input(&local).unwrap().is_some());
    }
}
