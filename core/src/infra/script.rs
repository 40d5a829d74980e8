//! Replies of the Lua scripts, read by name.
//!
//! A script that answers with several values returns a flat map, `{'name', value, 'name',
//! value, …}`, and the caller takes each field by name into a struct. A field the caller
//! expects but the script did not send, a value of the wrong type, or a field nobody reads
//! is an error naming the script and the field, so changing a script's reply can never be
//! misread silently as it could with positional results and `unwrap_or(0)`.

use std::collections::HashMap;

use redis::{ErrorKind, FromRedisValue, RedisError, RedisResult, Value};

/// One script's reply as named fields, consumed by [`Reply::take`] and closed by
/// [`Reply::finish`].
#[derive(Debug)]
pub struct Reply {
    script: &'static str,
    fields: HashMap<String, Value>,
}

/// The error for a reply of `script` that this code cannot read.
pub fn unexpected(script: &'static str, what: impl std::fmt::Display) -> RedisError {
    RedisError::from((
        ErrorKind::TypeError,
        "unexpected Lua script reply",
        format!("{script}: {what}"),
    ))
}

impl Reply {
    /// Reads `value` (what `script` returned) as a flat map of distinct names.
    pub fn parse(script: &'static str, value: Value) -> RedisResult<Self> {
        let Value::Array(items) = value else {
            return Err(unexpected(
                script,
                format!("expected a flat map, got {value:?}"),
            ));
        };
        if items.len() % 2 != 0 {
            return Err(unexpected(script, "a name without a value"));
        }
        let mut fields = HashMap::with_capacity(items.len() / 2);
        let mut items = items.into_iter();
        while let (Some(name), Some(value)) = (items.next(), items.next()) {
            let name = String::from_redis_value(&name)
                .map_err(|_| unexpected(script, format!("field name {name:?} is not a string")))?;
            if let Some(_twice) = fields.insert(name.clone(), value) {
                return Err(unexpected(script, format!("field {name} sent twice")));
            }
        }
        Ok(Self { script, fields })
    }

    /// Takes field `name`, converted to `T`; missing or unconvertible is an error.
    pub fn take<T: FromRedisValue>(&mut self, name: &str) -> RedisResult<T> {
        let value = self
            .fields
            .remove(name)
            .ok_or_else(|| unexpected(self.script, format!("field {name} missing")))?;
        T::from_redis_value(&value)
            .map_err(|e| unexpected(self.script, format!("field {name}: {e}")))
    }

    /// Takes field `name` and parses its text as `T` (a UUID, say).
    pub fn parse_field<T>(&mut self, name: &str) -> RedisResult<T>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
    {
        let text: String = self.take(name)?;
        text.parse()
            .map_err(|e| unexpected(self.script, format!("field {name} = {text:?}: {e}")))
    }

    /// An error about this reply, for a value no case of the caller matches.
    pub fn error(&self, what: impl std::fmt::Display) -> RedisError {
        unexpected(self.script, what)
    }

    /// Ends reading: a field that was sent but not taken means the script and this code
    /// disagree about the reply.
    pub fn finish(self) -> RedisResult<()> {
        let mut left: Vec<&String> = self.fields.keys().collect();
        if left.is_empty() {
            return Ok(());
        }
        left.sort();
        Err(unexpected(
            self.script,
            format!("unexpected fields {left:?}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bulk(s: &str) -> Value {
        Value::BulkString(s.as_bytes().to_vec())
    }

    fn reply(items: &[&str]) -> RedisResult<Reply> {
        Reply::parse(
            "test",
            Value::Array(items.iter().map(|s| bulk(s)).collect()),
        )
    }

    #[test]
    fn fields_are_read_by_name_whatever_their_order() {
        let mut r = reply(&["b", "2", "a", "x"]).unwrap();
        assert_eq!(r.take::<String>("a").unwrap(), "x");
        assert_eq!(r.take::<u64>("b").unwrap(), 2);
        r.finish().unwrap();
    }

    #[test]
    fn a_missing_unreadable_twice_sent_or_unread_field_is_an_error() {
        let mut r = reply(&["a", "x"]).unwrap();
        let missing = r.take::<u64>("b").unwrap_err().to_string();
        assert!(missing.contains("test: field b missing"), "{missing}");
        assert!(r.take::<u64>("a").is_err());

        assert!(reply(&["a", "1", "a", "2"]).is_err());
        assert!(reply(&["a"]).is_err());
        assert!(Reply::parse("test", Value::Int(1)).is_err());

        let mut r = reply(&["a", "1", "extra", "2"]).unwrap();
        r.take::<u64>("a").unwrap();
        let unread = r.finish().unwrap_err().to_string();
        assert!(unread.contains("extra"), "{unread}");

        let mut r = reply(&["id", "not-a-uuid"]).unwrap();
        assert!(r.parse_field::<uuid::Uuid>("id").is_err());
    }
}
