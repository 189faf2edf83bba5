//! The `Deserialize` side of generated types: one map visitor per struct
//! (`deserialize_struct!`), string enums (`string_enum!`), and the helpers
//! their expansions call.

use super::*;

/// A parameter value that is not a scalar, as JSON text.
pub fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Decodes a tagged union's chosen variant, with the deserializer's error type.
pub fn from_json_value<T: serde::de::DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// A JSON object key as a generated `Deserialize` impl reads it (see
/// `deserialize_struct!`): borrowed from the input when the input allows, so
/// matching field names allocates nothing.
#[doc(hidden)]
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// How a struct's impls treat each kind of field. Decoding: every field is
/// read as `Option<field type>` (`None` when absent); `check` notes the
/// first required field that is missing, and `ready` gives the field's
/// value, `None` only for a missing required field. Encoding (see
/// `serialize_struct!`): `count` is 1 for a field that is written, and
/// `put` writes it or skips it.
#[doc(hidden)]
pub mod field {
    use super::super::encode::FieldSink;

    /// Required and not nullable: absent is serde's "missing field" error.
    pub mod required {
        use super::FieldSink;

        pub fn check<T>(value: &Option<T>, name: &'static str, missing: &mut Option<&'static str>) {
            if value.is_none() && missing.is_none() {
                *missing = Some(name);
            }
        }

        pub fn ready<T>(value: Option<T>) -> Option<T> {
            value
        }

        #[inline]
        pub fn count<T>(_: &T) -> usize {
            1
        }

        #[inline]
        pub fn put<F: FieldSink, T: serde::Serialize>(
            fields: &mut F,
            key: &'static str,
            value: &T,
        ) {
            fields.field(key, value);
        }
    }

    /// Required and nullable, an `Option` field always sent (`null` for
    /// `None`); absent and `null` both read as `None`.
    pub mod always {
        pub use super::optional::{check, ready};
        pub use super::required::{count, put};
    }

    /// An `Option` field left out when `None`: absent and `null` both read
    /// as `None`.
    pub mod optional {
        use super::FieldSink;

        pub fn check<T>(_: &Option<Option<T>>, _: &'static str, _: &mut Option<&'static str>) {}

        pub fn ready<T>(value: Option<Option<T>>) -> Option<Option<T>> {
            Some(value.flatten())
        }

        #[inline]
        pub fn count<T>(value: &Option<T>) -> usize {
            value.is_some() as usize
        }

        #[inline]
        pub fn put<F: FieldSink, T: serde::Serialize>(
            fields: &mut F,
            key: &'static str,
            value: &Option<T>,
        ) {
            match value {
                Some(value) => fields.field(key, value),
                None => fields.skip(key),
            }
        }
    }

    /// An `Option<Option<T>>` field: absent is `None`, `null` is `Some(None)`.
    pub mod nullable {
        pub use super::optional::{count, put};

        pub fn check<T>(
            _: &Option<Option<Option<T>>>,
            _: &'static str,
            _: &mut Option<&'static str>,
        ) {
        }

        #[allow(clippy::option_option)]
        pub fn ready<T>(value: Option<Option<Option<T>>>) -> Option<Option<Option<T>>> {
            Some(value.map(Option::flatten))
        }
    }
}

/// A generated struct's `Deserialize` impl: one pass over the object's keys,
/// each field finished by a [`field`] function, unknown keys skipped or kept
/// in the struct's extra map, so a vendor adding a property never breaks an
/// old client.
///
/// This replaces `#[derive(Deserialize)]`, which writes a field enum with its
/// own impl, a sequence visitor and a map visitor per struct; on large
/// generated crates that is most of what the compiler spends.
// A module whose spec has no type of this kind does not call it.
#[allow(unused_macros)]
macro_rules! deserialize_struct {
    ($name:ident $(, $finish:ident($field:ident: $ty:ty, $wire:literal))* $(, ..$extra:ident)? $(,)?) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                // Names no generated type can have (they never start with `_`).
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("an object (", stringify!($name), ")"))
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut map: __A) -> ::std::result::Result<$name, __A::Error> {
                        $( let mut $field: ::std::option::Option<$ty> = ::std::option::Option::None; )*
                        $( let mut $extra = ::std::default::Default::default(); )?
                        while let ::std::option::Option::Some(key) = map.next_key::<crate::runtime::Key<'de>>()? {
                            // One `?` for all the arms: a `?` in each arm was an exit
                            // per field that dropped every field read so far, which
                            // made the body quadratic in the fields (Graph's `User`).
                            let read = match key.as_str() {
                                $( $wire => crate::runtime::read_field(&mut map, &mut $field), )*
                                _ => crate::runtime::unknown_key!(map key $($extra)?),
                            };
                            read?;
                        }
                        // One exit for every missing field, not a `?` per field: each
                        // `?` in the struct literal dropped every value read so far,
                        // and checking a struct of 1,000 fields took 9.5 GB.
                        let mut missing = ::std::option::Option::None;
                        $( crate::runtime::field::$finish::check(&$field, $wire, &mut missing); )*
                        match ($( crate::runtime::field::$finish::ready($field), )*) {
                            ($( ::std::option::Option::Some($field), )*) => ::std::result::Result::Ok($name { $( $field, )* $( $extra, )? }),
                            // Unreachable for a struct without fields.
                            #[allow(unreachable_patterns)]
                            _ => ::std::result::Result::Err(<__A::Error as ::serde::de::Error>::missing_field(missing.unwrap_or_default())),
                        }
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use deserialize_struct;

/// The impls of a generated string enum, whose last variant keeps values
/// not known when the client was generated: `Serialize` and `Deserialize`
/// as the wire string, `as_str`, `Display`, and [`ParamValue`] for
/// parameters. Written out per enum they were most of the tokens of a
/// generated module's types (GitHub's spec has 744 such enums).
// A module whose spec has no type of this kind does not call it.
#[allow(unused_macros)]
macro_rules! string_enum {
    ($name:ident, $other:ident $(, $variant:ident = $wire:literal)* $(,)?) => {
        impl ::serde::Serialize for $name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                let value = crate::runtime::enum_value(deserializer)?;
                ::std::result::Result::Ok(match value.as_str() {
                    $( $wire => Self::$variant, )*
                    _ => Self::$other(value.into_string()),
                })
            }
        }

        impl $name {
            /// The value as it is written on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::$other(value) => value,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl crate::runtime::ParamValue for $name {
            #[inline]
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;

/// A key the struct has no field for: kept in the extra map when there is one.
// A module whose spec has no type of this kind does not call it.
#[allow(unused_macros)]
macro_rules! unknown_key {
    ($map:ident $key:ident) => {
        crate::runtime::skip_value(&mut $map, $key)
    };
    ($map:ident $key:ident $extra:ident) => {
        crate::runtime::read_extra(&mut $map, $key, &mut $extra)
    };
}
#[allow(unused_imports)]
pub(crate) use unknown_key;

/// Reads a field's value into its slot.
#[doc(hidden)]
#[inline]
pub fn read_field<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Keeps a key the struct has no field for in its extra map.
#[doc(hidden)]
#[inline]
pub fn read_extra<'de, A, V, M>(map: &mut A, key: Key<'de>, extra: &mut M) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    V: serde::Deserialize<'de>,
    M: Extend<(String, V)>,
{
    let value = map.next_value()?;
    extra.extend([(key.into_string(), value)]);
    Ok(())
}

/// Skips a value the generated type has no field for.
#[doc(hidden)]
pub fn skip_value<'de, A: serde::de::MapAccess<'de>>(
    map: &mut A,
    _: Key<'de>,
) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(drop)
}

/// One attempt of an untagged union: `wrap` of the variant's type if the
/// value fits it and the variant keeps every property the value has (a
/// variant skips properties it does not name); otherwise the attempt is
/// kept in `best` if it loses fewer than the best so far. The generated
/// `Deserialize` takes the first that loses none, else `best`, so a union
/// without a discriminator does not settle for a variant that silently
/// drops fields another keeps (found by `cargo xtask conformance` on
/// GitHub's protection rules).
#[doc(hidden)]
pub fn try_variant<U, T: serde::de::DeserializeOwned + serde::Serialize>(
    value: &serde_json::Value,
    best: &mut Option<(U, usize)>,
    wrap: fn(T) -> U,
) -> Option<U> {
    let v = T::deserialize(value).ok()?;
    let lost = match value {
        serde_json::Value::Object(given) if !given.is_empty() => match serde_json::to_value(&v) {
            Ok(serde_json::Value::Object(kept)) => {
                given.iter().filter(|(k, x)| !x.is_null() && !kept.contains_key(*k)).count()
            }
            _ => given.len(),
        },
        _ => 0,
    };
    if lost == 0 {
        return Some(wrap(v));
    }
    if best.as_ref().is_none_or(|(_, fewest)| lost < *fewest) {
        *best = Some((wrap(v), lost));
    }
    None
}

/// A string enum's wire value, for its `Deserialize` impl.
#[doc(hidden)]
pub fn enum_value<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Key<'de>, D::Error> {
    serde::Deserialize::deserialize(deserializer)
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_read_exactly() {
        // Values serde_json's default parser reads one ULP off.
        for text in ["2.6777795420581883e302", "-2.820178614263943e-291", "-8.063015315417538e-199"]
        {
            let read: f64 = serde_json::from_str(text).unwrap();
            assert_eq!(read, text.parse::<f64>().unwrap(), "{text}");
            assert_eq!(serde_json::to_string(&read).unwrap().parse::<f64>().unwrap(), read);
        }
    }
}
