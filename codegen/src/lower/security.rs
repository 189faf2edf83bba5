//! Security schemes: how each credential is sent.

use super::*;

impl Lowerer<'_> {
    pub(super) fn security_schemes(&mut self) -> Result<Vec<SecurityScheme>> {
        let base = Pointer::root().push("components").push("securitySchemes");
        let mut out = Vec::new();
        for (name, value) in entries(self.raw, &base)? {
            let scheme: ReferenceOr<openapiv3::SecurityScheme> = ref_or(value, &base.push(name))?;
            let (scheme, _) = self.resolver.item(&scheme, &base.push(name), "security scheme")?;
            let (kind, docs) = match &*scheme {
                openapiv3::SecurityScheme::HTTP { scheme, description, .. } => {
                    let kind = match scheme.to_ascii_lowercase().as_str() {
                        "bearer" => SecurityKind::Bearer,
                        "basic" => SecurityKind::Basic,
                        // Digest and friends need a challenge round-trip; the
                        // client sends what the caller puts in headers instead.
                        _ => continue,
                    };
                    (kind, description.clone())
                }
                openapiv3::SecurityScheme::APIKey {
                    location, name: param, description, ..
                } => (
                    SecurityKind::ApiKey {
                        location: match location {
                            openapiv3::APIKeyLocation::Header => ApiKeyLocation::Header,
                            openapiv3::APIKeyLocation::Query => ApiKeyLocation::Query,
                            openapiv3::APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                        },
                        param: param.clone(),
                    },
                    description.clone(),
                ),
                openapiv3::SecurityScheme::OAuth2 { flows, description, .. } => (
                    SecurityKind::OAuth2 {
                        token_url: flows.client_credentials.as_ref().map(|f| f.token_url.clone()),
                    },
                    description.clone(),
                ),
                openapiv3::SecurityScheme::OpenIDConnect { description, .. } => {
                    (SecurityKind::OAuth2 { token_url: None }, description.clone())
                }
            };
            out.push(SecurityScheme { name: name.to_string(), kind, docs });
        }
        Ok(out)
    }
}
