//! The user's settings about types (`config`): a component schema replaced
//! by a type of theirs, and derives added. Applied before `select`, so a
//! slice drops what only a replaced schema reached.

use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::model::*;
use crate::pointer::Pointer;

pub fn customize(api: &mut Api, config: &Config) -> Result<()> {
    for def in &mut api.types {
        if !matches!(def.kind, TypeKind::Alias(_)) {
            def.derives.extend(config.derives.iter().cloned());
        }
    }
    for (name, settings) in &config.types {
        let at = Pointer::root().push("types").push(name);
        let found = api
            .types
            .iter()
            .position(|def| matches!(&def.name, NameHint::Component(n) if n == name));
        let Some(index) = found else {
            let mut known: Vec<&str> = api
                .types
                .iter()
                .filter_map(|def| match &def.name {
                    NameHint::Component(n) => Some(n.as_str()),
                    NameHint::Place(_) => None,
                })
                .collect();
            known.sort_unstable();
            let shown = known.iter().take(12).map(|n| format!("`{n}`")).collect::<Vec<_>>();
            let more = known.len().saturating_sub(12);
            let list = if more > 0 {
                format!("{}, and {more} more", shown.join(", "))
            } else {
                shown.join(", ")
            };
            return Err(Error::new(
                ErrorKind::Config,
                &at,
                format!("the spec has no component schema `{name}`"),
            )
            .with_supported(format!("the names under #/components/schemas: {list}")));
        };
        let def = &mut api.types[index];
        if let Some(path) = &settings.replace {
            if !settings.derives.is_empty() {
                return Err(Error::new(
                    ErrorKind::Config,
                    &at,
                    "`derives` for a type that `replace` replaces: it is not generated",
                ));
            }
            // An alias keeps the spec's name in `types`, meaning the user's type.
            def.kind = TypeKind::Alias(Ty::External(path.clone()));
            def.derives.clear();
        }
        def.derives.extend(settings.derives.iter().cloned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{lowered, model, spec};

    const COMPONENTS: &str = "schemas:
  Money: {type: object, properties: {amount: {type: string}}}
  Pet: {type: object, properties: {price: {$ref: '#/components/schemas/Money'}}}
  Kind: {type: string, enum: [a, b]}";

    fn customized(settings: &str) -> Result<Api> {
        let mut api = lowered(&spec("{}", COMPONENTS));
        customize(&mut api, &crate::config::parse(settings).unwrap())?;
        Ok(api)
    }

    #[test]
    fn a_replaced_schema_is_the_users_type_and_derives_are_added() {
        let api = customized(
            "derives = [\"Eq\"]\n[types.Money]\nreplace = \"rust_decimal::Decimal\"\n\
             [types.Pet]\nderives = [\"Hash\"]\n",
        )
        .unwrap();
        let money = &api.types[0];
        assert_eq!(money.kind, TypeKind::Alias(Ty::External("rust_decimal::Decimal".into())));
        assert!(money.derives.is_empty(), "an alias derives nothing");
        assert_eq!(api.types[1].derives, ["Eq", "Hash"]);
        assert_eq!(api.types[2].derives, ["Eq"]);
        assert!(model(&api).contains("Money"), "the name stays, as an alias");
    }

    #[test]
    fn a_name_the_spec_does_not_have_is_an_error_that_lists_those_it_has() {
        let e = customized("[types.Mony]\nreplace = \"x::Money\"\n").unwrap_err();
        assert_eq!(e.pointer.to_string(), "#/types/Mony");
        assert!(e.message.contains("no component schema `Mony`"), "{e}");
        assert!(e.supported.as_deref().unwrap_or("").contains("`Kind`, `Money`, `Pet`"), "{e}");
        let e =
            customized("[types.Money]\nreplace = \"x::Money\"\nderives = [\"Eq\"]\n").unwrap_err();
        assert!(e.message.contains("it is not generated"), "{e}");
    }
}
