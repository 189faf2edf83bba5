//! The service lowering calls to follow `$ref`s. Any local pointer works, not only
//! `#/components/...`: the target is looked up in the raw tree and read as the
//! kind of object the referring position expects. Chains of refs are followed
//! and loops are reported.

use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use openapiv3::ReferenceOr;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::input::Raw;
use crate::pointer::Pointer;

/// How many `$ref` hops before we call it a loop.
const MAX_HOPS: usize = 64;

pub struct Resolver<'a> {
    raw: &'a Raw,
    /// Parts read through a `$ref` more than once, by the type read and the
    /// reference. Microsoft Graph's 11,000 operations share a few dozen
    /// parameters and one error response, which were read again at every
    /// use; its 1,500 other responses are each used once, and are not kept.
    read: RefCell<HashMap<(TypeId, String), Kept>>,
}

/// A part read once (`None`), or read again and kept, with where it lives.
type Kept = Option<(Box<dyn Any>, Pointer)>;

impl<'a> Resolver<'a> {
    pub fn new(raw: &'a Raw) -> Self {
        Resolver { raw, read: RefCell::default() }
    }

    /// The pointer a `$ref` string names, or an error saying what is supported.
    pub fn target(&self, reference: &str, at: &Pointer) -> Result<Pointer> {
        Pointer::from_fragment(reference).ok_or_else(|| {
            let (feature, what) = if reference.starts_with('#') {
                ("$ref that is not a JSON pointer", format!("`{reference}` is not a JSON pointer"))
            } else {
                ("external $ref", format!("external $ref `{reference}` is not supported"))
            };
            Error::unsupported(
                &at.push("$ref"),
                feature,
                "local references of the form `#/components/...` (any JSON pointer into the same document)",
            )
            .with_message(what)
        })
    }

    /// The item behind `r`, with the pointer where it really lives.
    pub fn item<'b, T>(
        &self,
        r: &'b ReferenceOr<T>,
        at: &Pointer,
        what: &str,
    ) -> Result<(Cow<'b, T>, Pointer)>
    where
        T: DeserializeOwned + Clone + 'static,
    {
        match r {
            ReferenceOr::Item(item) => Ok((Cow::Borrowed(item), at.clone())),
            ReferenceOr::Reference { reference } => {
                let key = (TypeId::of::<T>(), reference.clone());
                let seen = match self.read.borrow().get(&key) {
                    Some(Some((item, target))) => {
                        if let Some(item) = item.downcast_ref::<T>() {
                            return Ok((Cow::Owned(item.clone()), target.clone()));
                        }
                        true
                    }
                    Some(None) => true,
                    None => false,
                };
                let (item, target) = self.read_item::<T>(reference, at, what)?;
                let kept = seen.then(|| (Box::new(item.clone()) as Box<dyn Any>, target.clone()));
                self.read.borrow_mut().insert(key, kept);
                Ok((Cow::Owned(item), target))
            }
        }
    }

    fn read_item<T: DeserializeOwned>(
        &self,
        reference: &str,
        at: &Pointer,
        what: &str,
    ) -> Result<(T, Pointer)> {
        let (value, target) = self.follow(reference, at)?;
        // As `load::part`: the path is tracked only when reading fails.
        if let Ok(item) = crate::input::with_stack(|| T::deserialize(value)) {
            return Ok((item, target));
        }
        let item = crate::input::with_stack(|| serde_path_to_error::deserialize::<_, T>(value));
        let item = item.map_err(|e| {
            let mut ptr = target.clone();
            for seg in e.path().iter() {
                if let serde_path_to_error::Segment::Map { key } = seg {
                    ptr = ptr.push(key);
                }
            }
            Error::invalid(
                &ptr,
                format!("the {what} that `{reference}` points to is not valid: {}", e.inner()),
            )
        })?;
        Ok((item, target))
    }

    /// Follows a chain of `$ref`s to the first value that is not a `$ref`.
    pub fn follow(&self, reference: &str, at: &Pointer) -> Result<(&'a Value, Pointer)> {
        let mut reference = reference.to_string();
        let mut from = at.clone();
        for _ in 0..MAX_HOPS {
            let target = self.target(&reference, &from)?;
            let value = self.raw.pointer(target.as_json_pointer()).ok_or_else(|| {
                Error::new(
                    ErrorKind::Reference,
                    &from.push("$ref"),
                    format!(
                        "`{reference}` points to nothing: there is no {target} in this document"
                    ),
                )
            })?;
            match value.get("$ref") {
                Some(Value::String(next)) => {
                    reference = next.to_string();
                    from = target;
                }
                Some(other) => {
                    return Err(Error::invalid(
                        &target.push("$ref"),
                        crate::error::says::ref_not_string(other),
                    ))
                }
                None => return Ok((value, target)),
            }
        }
        Err(Error::new(
            ErrorKind::Reference,
            &at.push("$ref"),
            format!("`$ref` chain from here loops (more than {MAX_HOPS} hops)"),
        ))
    }

    pub fn raw(&self) -> &'a Raw {
        self.raw
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dangling_refs_name_the_referring_place() {
        let raw = Raw::from(json!({"components": {"schemas": {}}}));
        let r = Resolver::new(&raw);
        let at = Pointer::root().push("paths").push("/a");
        let e = r.follow("#/components/schemas/Nope", &at).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Reference);
        assert_eq!(e.pointer.to_string(), "#/paths/~1a/$ref");
        assert!(e.message.contains("#/components/schemas/Nope"), "{}", e.message);
    }

    #[test]
    fn a_part_used_again_is_the_same_part() {
        let raw = Raw::from(
            json!({"components": {"parameters": {"top": {"name": "$top", "in": "query", "schema": {"type": "integer"}}}}}),
        );
        let r = Resolver::new(&raw);
        let reference = ReferenceOr::<openapiv3::Parameter>::Reference {
            reference: "#/components/parameters/top".into(),
        };
        let reads: Vec<_> =
            (0..3).map(|_| r.item(&reference, &Pointer::root(), "parameter").unwrap()).collect();
        for (p, at) in &reads {
            assert_eq!(p.parameter_data_ref().name, "$top");
            assert_eq!(at.to_string(), "#/components/parameters/top");
        }
        // Read as another type, the same value is read again, not taken from the first.
        let as_schema = ReferenceOr::<openapiv3::Schema>::Reference {
            reference: "#/components/parameters/top".into(),
        };
        assert!(r.item(&as_schema, &Pointer::root(), "schema").is_ok());
    }

    #[test]
    fn ref_loops_are_errors() {
        let raw = Raw::from(json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}}));
        let r = Resolver::new(&raw);
        assert!(r.follow("#/a", &Pointer::root()).unwrap_err().message.contains("loops"));
    }

    #[test]
    fn external_refs_say_what_is_supported() {
        let raw = Raw::from(json!({}));
        let e = Resolver::new(&raw).follow("other.yaml#/x", &Pointer::root()).unwrap_err();
        assert!(
            matches!(&e.kind, ErrorKind::Unsupported { feature } if feature == "external $ref"),
            "{e}"
        );
        assert!(e.to_string().contains("external $ref `other.yaml#/x`"), "{e}");
    }
}
