/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-dahua-event-data"

#include "config.h"

#include <errno.h>

#include "gh-dahua-event-data.h"

#include <json-c/json.h>
#include <string.h>

/*
 * An event's data is a small JSON object ("CardNo", "UTC", "Method"…) and a site with a
 * thousand devices receives ten thousand of them a second. Building a json-c object tree for
 * each cost more than everything else the driver does with an event, so the top level is read
 * here into a flat list: strings unescaped, numbers as their text, anything else (objects,
 * arrays, true, false, null) as its raw JSON text. The whole value is still checked to be
 * valid JSON. What this strict reader refuses goes to json-c, whose lenient parser the driver
 * always used, so no data that parsed before is lost.
 */

/* Deeper nesting is left to json-c (whose own limit is 32), so the two never disagree. */
#define MAX_DEPTH 16

typedef enum {
  MEMBER_STRING,
  MEMBER_NUMBER,
  MEMBER_OTHER,
} MemberKind;

/* Keys and values live in one buffer, each NUL-terminated: a handful of allocations per event
 * instead of two per member. */
typedef struct {
  guint       key;       /* offset in text */
  guint       value;     /* offset in text: unescaped string, number text or raw JSON */
  guint       value_len; /* a string may hold a NUL (\u0000) */
  MemberKind  kind;
} Member;

struct _GhDahuaEventData {
  GArray  *members; /* (element-type Member) in the order received */
  GString *text;    /* (owned) */
  char    *json;    /* (owned) (nullable) json-c's own plain form, when json-c read it */
};

typedef struct {
  const char *p;
  const char *end;
} Scan;

static GhDahuaEventData *
data_new (gsize hint)
{
  GhDahuaEventData *self = g_new0 (GhDahuaEventData, 1);

  self->members = g_array_sized_new (FALSE, FALSE, sizeof (Member), 16);
  self->text = g_string_sized_new (hint + 16);
  return self;
}

void
gh_dahua_event_data_free (GhDahuaEventData *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->members);
  g_string_free (self->text, TRUE);
  g_free (self->json);
  g_free (self);
}

/* Ends the piece of text that started at @start; returns that offset. */
static guint
seal (GhDahuaEventData *self,
      gsize             start)
{
  g_string_append_c (self->text, '\0');
  return (guint) start;
}

static void
skip_ws (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static int
hex4 (const char *p)
{
  int value = 0;

  for (int i = 0; i < 4; i++) {
    int d = g_ascii_xdigit_value (p[i]);

    if (d < 0)
      return -1;
    value = value * 16 + d;
  }
  return value;
}

/* Reads a string at s->p (on the opening quote) into @out when given. Refuses control
 * characters, bad escapes and lone surrogates, as JSON does. */
static gboolean
read_string (Scan    *s,
             GString *out)
{
  s->p++;
  while (s->p < s->end) {
    const char *run = s->p;

    while (s->p < s->end && *s->p != '"' && *s->p != '\\' && (guchar) *s->p >= 0x20)
      s->p++;
    if (out)
      g_string_append_len (out, run, s->p - run);
    if (s->p >= s->end || (guchar) *s->p < 0x20)
      return FALSE;
    if (*s->p == '"') {
      s->p++;
      return TRUE;
    }
    /* an escape */
    if (s->end - s->p < 2)
      return FALSE;
    switch (s->p[1]) {
    case '"': case '\\': case '/':
      if (out)
        g_string_append_c (out, s->p[1]);
      s->p += 2;
      break;
    case 'b': if (out) g_string_append_c (out, '\b'); s->p += 2; break;
    case 'f': if (out) g_string_append_c (out, '\f'); s->p += 2; break;
    case 'n': if (out) g_string_append_c (out, '\n'); s->p += 2; break;
    case 'r': if (out) g_string_append_c (out, '\r'); s->p += 2; break;
    case 't': if (out) g_string_append_c (out, '\t'); s->p += 2; break;
    case 'u': {
      int c;

      if (s->end - s->p < 6 || (c = hex4 (s->p + 2)) < 0)
        return FALSE;
      s->p += 6;
      if (c >= 0xDC00 && c <= 0xDFFF)
        return FALSE;
      if (c >= 0xD800 && c <= 0xDBFF) {
        int low;

        if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u' ||
            (low = hex4 (s->p + 2)) < 0xDC00 || low > 0xDFFF)
          return FALSE;
        s->p += 6;
        c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
      }
      if (out)
        g_string_append_unichar (out, c);
      break;
    }
    default:
      return FALSE;
    }
  }
  return FALSE;
}

static gboolean
read_number (Scan *s)
{
  const char *start = s->p;

  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return FALSE;
  if (*s->p == '0')
    s->p++;
  else
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  if (s->p < s->end && *s->p == '.') {
    s->p++;
    if (s->p >= s->end || !g_ascii_isdigit (*s->p))
      return FALSE;
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
    s->p++;
    if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
      s->p++;
    if (s->p >= s->end || !g_ascii_isdigit (*s->p))
      return FALSE;
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  }
  return s->p > start;
}

static gboolean
read_word (Scan       *s,
           const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return FALSE;
  s->p += n;
  return TRUE;
}

static gboolean
skip_value (Scan *s,
            guint depth)
{
  skip_ws (s);
  if (s->p >= s->end)
    return FALSE;
  switch (*s->p) {
  case '"':
    return read_string (s, NULL);
  case '{':
  case '[': {
    char close = *s->p == '{' ? '}' : ']';
    gboolean object = close == '}';

    if (depth >= MAX_DEPTH)
      return FALSE;
    s->p++;
    skip_ws (s);
    if (s->p < s->end && *s->p == close) {
      s->p++;
      return TRUE;
    }
    for (;;) {
      if (object) {
        skip_ws (s);
        if (s->p >= s->end || *s->p != '"' || !read_string (s, NULL))
          return FALSE;
        skip_ws (s);
        if (s->p >= s->end || *s->p != ':')
          return FALSE;
        s->p++;
      }
      if (!skip_value (s, depth + 1))
        return FALSE;
      skip_ws (s);
      if (s->p >= s->end)
        return FALSE;
      if (*s->p == close) {
        s->p++;
        return TRUE;
      }
      if (*s->p != ',')
        return FALSE;
      s->p++;
    }
  }
  case 't':
    return read_word (s, "true");
  case 'f':
    return read_word (s, "false");
  case 'n':
    return read_word (s, "null");
  default:
    return read_number (s);
  }
}

/* The strict reader: %NULL when the text is not a JSON object by the book. */
static GhDahuaEventData *
read_object (const char *text,
             gsize       len)
{
  g_autoptr(GhDahuaEventData) self = data_new (len);
  Scan s = { text, text + len };

  skip_ws (&s);
  if (s.p >= s.end || *s.p != '{')
    return NULL;
  s.p++;
  skip_ws (&s);
  if (s.p < s.end && *s.p == '}') {
    s.p++;
    skip_ws (&s);
    return s.p < s.end && *s.p == '/' ? NULL : g_steal_pointer (&self);
  }
  for (;;) {
    Member member = { 0 };
    gsize start = self->text->len;
    const char *value;

    skip_ws (&s);
    if (s.p >= s.end || *s.p != '"' || !read_string (&s, self->text) ||
        memchr (self->text->str + start, '\0', self->text->len - start) != NULL)
      return NULL; /* a key with a NUL is json-c's to judge */
    member.key = seal (self, start);
    skip_ws (&s);
    if (s.p >= s.end || *s.p != ':')
      return NULL;
    s.p++;
    skip_ws (&s);
    if (s.p >= s.end)
      return NULL;
    start = self->text->len;
    value = s.p;
    if (*s.p == '"') {
      if (!read_string (&s, self->text))
        return NULL;
      member.kind = MEMBER_STRING;
    } else {
      gboolean number = *s.p == '-' || g_ascii_isdigit (*s.p);

      if (!(number ? read_number (&s) : skip_value (&s, 1)))
        return NULL;
      member.kind = number ? MEMBER_NUMBER : MEMBER_OTHER;
      g_string_append_len (self->text, value, s.p - value);
    }
    member.value_len = self->text->len - start;
    member.value = seal (self, start);
    g_array_append_val (self->members, member);
    skip_ws (&s);
    if (s.p >= s.end)
      return NULL;
    if (*s.p == '}')
      break;
    if (*s.p != ',')
      return NULL;
    s.p++;
  }
  /* Text after the object is ignored, but json-c reads on into what may be a comment. */
  s.p++;
  skip_ws (&s);
  if (s.p < s.end && *s.p == '/')
    return NULL;
  return g_steal_pointer (&self);
}

/* The lenient way: whatever json-c accepts as an object. */
static GhDahuaEventData *
read_with_json_c (const char *text,
                  gsize       len)
{
  json_tokener *tok = json_tokener_new ();
  json_object *obj = json_tokener_parse_ex (tok, text, len);
  GhDahuaEventData *self;

  json_tokener_free (tok);
  if (obj == NULL || !json_object_is_type (obj, json_type_object)) {
    json_object_put (obj);
    return NULL;
  }
  self = data_new (len);
  json_object_object_foreach (obj, key, value) {
    Member member = { 0, 0, 0, MEMBER_OTHER };
    gsize start = self->text->len;

    g_string_append (self->text, key);
    member.key = seal (self, start);
    start = self->text->len;
    if (json_object_is_type (value, json_type_string)) {
      member.kind = MEMBER_STRING;
      g_string_append_len (self->text, json_object_get_string (value),
                           json_object_get_string_len (value));
    } else {
      if (json_object_is_type (value, json_type_int) ||
          json_object_is_type (value, json_type_double))
        member.kind = MEMBER_NUMBER;
      g_string_append (self->text, json_object_to_json_string_ext (value, JSON_C_TO_STRING_PLAIN));
    }
    member.value_len = self->text->len - start;
    member.value = seal (self, start);
    g_array_append_val (self->members, member);
  }
  /* lenient tokens ("05") print as json-c kept them, not as they would parse again */
  self->json = g_strdup (json_object_to_json_string_ext (obj, JSON_C_TO_STRING_PLAIN));
  json_object_put (obj);
  return self;
}

/**
 * gh_dahua_event_data_parse:
 * @text: (array length=len): the data text, e.g. `{"CardNo":"12AB","UTC":1774527751}`
 *
 * Returns: (transfer full) (nullable): the object's members, or %NULL when @text does not
 *   start with a JSON object (text after the object is ignored, as json-c does)
 */
GhDahuaEventData *
gh_dahua_event_data_parse (const char *text,
                           gsize       len)
{
  GhDahuaEventData *self;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  self = read_object (text, len);
  if (self == NULL)
    self = read_with_json_c (text, len);
  return self;
}

/* Duplicate keys: the last one counts, as with json-c. */
static const Member *
lookup (const GhDahuaEventData *self,
        const char             *key)
{
  if (self == NULL)
    return NULL;
  for (guint i = self->members->len; i > 0; i--) {
    const Member *member = &g_array_index (self->members, Member, i - 1);

    if (strcmp (self->text->str + member->key, key) == 0)
      return member;
  }
  return NULL;
}

/**
 * gh_dahua_event_data_get_string:
 *
 * Returns: (nullable): the string value of @key (numbers are not converted)
 */
const char *
gh_dahua_event_data_get_string (const GhDahuaEventData *self,
                                const char             *key)
{
  const Member *member = lookup (self, key);

  return member && member->kind == MEMBER_STRING ? self->text->str + member->value : NULL;
}

/**
 * gh_dahua_event_data_get_int:
 *
 * Reads an integer, accepting numbers, floats ("1644589321.0", truncated), numeric strings
 * and booleans (1 or 0).
 */
/* As g_ascii_string_to_signed() over the whole 64-bit range, without the error message it
 * formats and translates for every refusal even when no error is asked for: a float such as
 * UTC 1644589321.0 is refused here on every event before strtod reads it. */
static gboolean
parse_decimal (const char *text,
               gint64     *out_value)
{
  const char *digits = (*text == '-' || *text == '+') ? text + 1 : text;
  char *endp = NULL;
  gint64 value;

  if (!g_ascii_isdigit (*digits))
    return FALSE;
  errno = 0;
  value = g_ascii_strtoll (text, &endp, 10);
  if (errno != 0 || *endp != '\0')
    return FALSE;
  *out_value = value;
  return TRUE;
}

gboolean
gh_dahua_event_data_get_int (const GhDahuaEventData *self,
                             const char             *key,
                             gint64                 *out_value)
{
  const Member *member = lookup (self, key);
  const char *value;
  char *endp = NULL;
  double d;

  g_return_val_if_fail (out_value != NULL, FALSE);

  if (member == NULL)
    return FALSE;
  value = self->text->str + member->value;
  if (member->kind == MEMBER_OTHER) {
    if (strcmp (value, "true") == 0 || strcmp (value, "false") == 0) {
      *out_value = value[0] == 't';
      return TRUE;
    }
    return FALSE;
  }
  if (parse_decimal (value, out_value))
    return TRUE;
  d = g_ascii_strtod (value, &endp);
  if (endp == value || *endp != '\0' || !(d > -9.2e18 && d < 9.2e18))
    return FALSE;
  *out_value = (gint64) d;
  return TRUE;
}

/**
 * gh_dahua_event_data_to_json:
 *
 * Returns: (transfer full): the object as compact JSON (json-c's plain form), for logs and
 *   tests
 */
char *
gh_dahua_event_data_to_json (const GhDahuaEventData *self)
{
  json_object *obj;
  char *text;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->json != NULL)
    return g_strdup (self->json);
  obj = json_object_new_object ();
  for (guint i = 0; i < self->members->len; i++) {
    const Member *member = &g_array_index (self->members, Member, i);
    const char *piece = self->text->str + member->value;
    json_object *value = member->kind == MEMBER_STRING
                         ? json_object_new_string_len (piece, member->value_len)
                         : json_tokener_parse (piece);

    json_object_object_add (obj, self->text->str + member->key, value);
  }
  text = g_strdup (json_object_to_json_string_ext (obj, JSON_C_TO_STRING_PLAIN));
  json_object_put (obj);
  return text;
}
