//! `tests/specs/hostile.yaml` puts quotes, comment ends, attributes, braces,
//! keywords, bidi and zero-width characters and TOML where a careless
//! generator would paste them into code. The generated crate compiles
//! (`tests/fixtures` is a workspace member), and here we check that it holds
//! nothing the spec did not ask for.

use std::collections::BTreeSet;

use syn::ext::IdentExt;

use crate::support::project_root;

fn module() -> syn::File {
    let text =
        std::fs::read_to_string(project_root().join("tests/fixtures/src/hostile.rs")).unwrap();
    syn::parse_file(&text).expect("generated code parses")
}

fn attr_names(attrs: &[syn::Attribute], out: &mut BTreeSet<String>) {
    for a in attrs {
        out.insert(
            a.path().segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::"),
        );
    }
}

/// Every kind of item and attribute in the module, recursively.
fn inventory(items: &[syn::Item], kinds: &mut BTreeSet<String>, attrs: &mut BTreeSet<String>) {
    for item in items {
        let kind = match item {
            syn::Item::Mod(m) => {
                attr_names(&m.attrs, attrs);
                if let Some((_, inner)) = &m.content {
                    inventory(inner, kinds, attrs);
                }
                "mod"
            }
            syn::Item::Struct(s) => {
                attr_names(&s.attrs, attrs);
                s.fields.iter().for_each(|f| attr_names(&f.attrs, attrs));
                "struct"
            }
            syn::Item::Enum(e) => {
                attr_names(&e.attrs, attrs);
                e.variants.iter().for_each(|v| attr_names(&v.attrs, attrs));
                "enum"
            }
            syn::Item::Impl(i) => {
                attr_names(&i.attrs, attrs);
                for ii in &i.items {
                    if let syn::ImplItem::Fn(f) = ii {
                        attr_names(&f.attrs, attrs);
                    }
                    if let syn::ImplItem::Const(c) = ii {
                        attr_names(&c.attrs, attrs);
                    }
                }
                "impl"
            }
            syn::Item::Type(t) => {
                attr_names(&t.attrs, attrs);
                "type"
            }
            syn::Item::Macro(m) => {
                attr_names(&m.attrs, attrs);
                runtime_macro_call(&m.mac);
                "macro"
            }
            syn::Item::Use(u) => {
                attr_names(&u.attrs, attrs);
                // Only the runtime's request types, by their own names.
                let text = quote::ToTokens::to_token_stream(&u.tree).to_string();
                assert_eq!(text, "crate :: runtime :: { Call , Method , Request , path_segment }");
                "use"
            }
            other => panic!("unexpected item: {}", quote::ToTokens::to_token_stream(other)),
        };
        kinds.insert(kind.to_string());
    }
}

/// The macros a module calls are the runtime's `serde_struct!` (or
/// `deserialize_struct!`), whose arguments are the type, then
/// `kind(field: Type, "wire name")` per field and an optional `..extra`, and
/// `string_enum!`, whose arguments are the type, its catch-all variant, then
/// `Variant = "wire value"` per value: spec text only ever inside the string
/// literals.
fn runtime_macro_call(mac: &syn::Macro) {
    let path: Vec<String> = mac.path.segments.iter().map(|s| s.ident.to_string()).collect();
    match path.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["crate", "runtime", "serde_struct" | "deserialize_struct"] => {
            mac.parse_body_with(struct_fields).expect("a type, then its fields");
        }
        ["crate", "runtime", "string_enum"] => {
            let args = mac
                .parse_body_with(
                    syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
                )
                .expect("arguments are expressions");
            let is_ident = |e: Option<&syn::Expr>| matches!(e, Some(syn::Expr::Path(p)) if p.path.get_ident().is_some());
            let mut args = args.iter();
            assert!(is_ident(args.next()), "the type");
            assert!(is_ident(args.next()), "the catch-all variant");
            for arg in args {
                let syn::Expr::Assign(pair) = arg else {
                    panic!("unexpected argument: {}", quote::ToTokens::to_token_stream(arg))
                };
                let is_str = matches!(
                    &*pair.right,
                    syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(_), .. })
                );
                assert!(is_ident(Some(&*pair.left)) && is_str);
            }
        }
        _ => panic!("unexpected macro: {path:?}"),
    }
}

/// `Name, kind(field: Type, "wire"),* ..extra?`, where a type is a path of
/// identifiers and angle brackets only: no literal, so no spec text.
fn struct_fields(input: syn::parse::ParseStream) -> syn::Result<()> {
    use syn::Token;
    input.parse::<syn::Ident>()?;
    while !input.is_empty() {
        input.parse::<Token![,]>()?;
        if input.is_empty() {
            break;
        }
        if input.peek(Token![..]) {
            input.parse::<Token![..]>()?;
            input.parse::<syn::Ident>()?;
            continue;
        }
        let kind: syn::Ident = input.parse()?;
        if !["required", "always", "optional", "nullable"].contains(&kind.to_string().as_str()) {
            return Err(syn::Error::new(kind.span(), "unknown field kind"));
        }
        let inner;
        syn::parenthesized!(inner in input);
        syn::Ident::parse_any(&inner)?;
        inner.parse::<Token![:]>()?;
        let ty: syn::Type = inner.parse()?;
        let literal_free = quote::ToTokens::to_token_stream(&ty).into_iter().all(no_literal);
        if !literal_free {
            return Err(syn::Error::new(kind.span(), "a literal in a field's type"));
        }
        inner.parse::<Token![,]>()?;
        inner.parse::<syn::LitStr>()?;
        if !inner.is_empty() {
            return Err(inner.error("more after the wire name"));
        }
    }
    Ok(())
}

fn no_literal(t: proc_macro2::TokenTree) -> bool {
    match t {
        proc_macro2::TokenTree::Literal(_) => false,
        proc_macro2::TokenTree::Group(g) => g.stream().into_iter().all(no_literal),
        _ => true,
    }
}

#[test]
fn only_the_items_and_attributes_a_client_needs() {
    let file = module();
    let mut kinds = BTreeSet::new();
    let mut attrs = BTreeSet::new();
    attr_names(&file.attrs, &mut attrs);
    inventory(&file.items, &mut kinds, &mut attrs);
    assert_eq!(
        kinds,
        ["enum", "impl", "macro", "mod", "struct", "type", "use"].map(String::from).into()
    );
    assert_eq!(
        attrs,
        ["allow", "cfg", "derive", "doc", "inline", "non_exhaustive", "serde"]
            .map(String::from)
            .into()
    );
    // The field parser takes what the generator writes and no literal.
    let parses = |t: &str| syn::parse::Parser::parse_str(struct_fields, t).is_ok();
    assert!(parses(r#"X, optional(a: Option<Vec<String>>, "a"), always(r#b: Y, "b"), ..extra,"#));
    assert!(!parses(r#"X, optional(a: Option<[u8; 3]>, "a")"#));
    assert!(!parses(r#"X, optional(a: String, "a", "b")"#));
    // The one `allow` is the module's own list, whatever the spec says.
    let allow = file.attrs.iter().filter(|a| a.path().is_ident("allow")).count();
    assert_eq!(allow, 1);
    // `cfg`s name tag features, slugs whatever the tags say.
    let text =
        std::fs::read_to_string(project_root().join("tests/fixtures/src/hostile.rs")).unwrap();
    for feature in codegen::output::cfg_features(&text) {
        assert!(
            ["all", "default-2", "evil-dependencies-x-1", "n-c-d", "tag-9lives", "untagged"]
                .contains(&feature.as_str()),
            "{feature}"
        );
    }
}

#[test]
fn no_bidi_or_zero_width_characters_survive_in_docs() {
    let text =
        std::fs::read_to_string(project_root().join("tests/fixtures/src/hostile.rs")).unwrap();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            assert!(
                !line.chars().any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200F}')),
                "line {}: {line:?}",
                i + 1
            );
        }
    }
    // In string literals they are escaped, so the source has none at all.
    assert!(!text.contains('\u{202E}'));
}

#[test]
fn the_manifest_holds_no_spec_text() {
    let text = std::fs::read_to_string(project_root().join("tests/fixtures/Cargo.toml")).unwrap();
    let manifest: toml::Table = toml::from_str(&text).expect("valid TOML");
    assert_eq!(manifest["package"]["name"].as_str(), Some("fixtures"));
    assert_eq!(manifest["package"]["version"].as_str(), Some("0.1.0"));
    let deps: BTreeSet<&str> =
        manifest["dependencies"].as_table().unwrap().keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "bytes",
        "chrono",
        "fastrand",
        "futures-core",
        "httpdate",
        "percent-encoding",
        "reqwest",
        "serde",
        "serde_json",
        "serde_path_to_error",
        "serde_urlencoded",
        "tokio",
        "tracing",
        "uuid",
    ]
    .into();
    assert_eq!(deps, expected);
    // A hostile tag reaches the manifest only as its slug, a feature.
    for line in text.lines().filter(|l| l.contains("evil")) {
        assert!(
            line.starts_with("\"evil-dependencies-x-1\" = []") || line.starts_with("all = ["),
            "{line}"
        );
    }
    let tables: BTreeSet<&str> = manifest.keys().map(String::as_str).collect();
    assert_eq!(tables, ["dependencies", "features", "lib", "package"].into());
    // Besides the crate's own, one feature per tag: a slug of ASCII letters,
    // digits and `-`, whatever the tag says.
    let features: BTreeSet<&str> =
        manifest["features"].as_table().unwrap().keys().map(String::as_str).collect();
    let own: BTreeSet<&str> =
        ["all", "default", "native-tls", "rustls", "rustls-no-provider"].into();
    assert!(own.is_subset(&features), "{features:?}");
    for tag in features.difference(&own) {
        assert!(
            tag.starts_with(|c: char| c.is_ascii_lowercase())
                && tag.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{tag}"
        );
    }
}

#[test]
fn hostile_values_round_trip_as_data() {
    use fixtures::hostile::types::{Crate, CrateEnumField};
    let json = serde_json::json!({
        "self": "\"; evil(); \"", "Self": 1, "super": true, "type": "#[x]",
        "enum_field": "*/", "kebab-case": "a", "kebab_case": "b", "KebabCase": "c", "1st": "d"
    });
    let value: Crate = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(value.self_, "\"; evil(); \"");
    assert_eq!(value.enum_field, Some(CrateEnumField::Value));
    assert_eq!(serde_json::to_value(&value).unwrap(), json);
}

#[test]
fn prelude_names_the_spec_takes_are_written_as_full_paths() {
    // hostile.yaml has types named `String`, `Option` and `Result`, which
    // would shadow the prelude's inside `types`: the module names std's in
    // full. A module whose spec takes none of them uses the short names.
    let read = |name: &str| {
        std::fs::read_to_string(project_root().join("tests/fixtures/src").join(name)).unwrap()
    };
    // (`Option<String>` in hostile.rs is std's Option of the spec's String.)
    let short = |text: &str| {
        text.lines().filter(|l| l.contains(": Option<") || l.contains(" Vec<")).count()
    };
    let hostile = read("hostile.rs");
    assert_eq!(short(&hostile), 0);
    assert!(hostile.contains(": ::std::option::Option<::std::string::String>,"));
    assert!(short(&read("zoo.rs")) > 0);
}
