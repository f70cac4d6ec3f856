/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-dahua-event-parser"

#include "config.h"

#include "gh-dahua-event-parser.h"

#include "gh-error.h"

#include <string.h>

/*
 * The event stream is a never-ending multipart body. Parts are split on the boundary taken
 * from the Content-Type header, never on Content-Length (devices do not count the trailing
 * newline, so trusting it drifts). Input is consumed line by line, so any byte split of the
 * stream gives the same parts. A part's body is emitted as soon as it is complete (its first
 * line is done and any JSON after "data=" is balanced), so an event does not wait for the
 * next boundary, which on a quiet device may come only with the next heartbeat.
 */

#define MAX_LINE (256 * 1024)
#define MAX_BODY (1024 * 1024)

typedef enum {
  STATE_PREAMBLE,
  STATE_HEADERS,
  STATE_BODY,
  STATE_SKIP,  /* body emitted; ignore the rest up to the next boundary */
} State;

struct _GhDahuaEventParser
{
  char                 *boundary;  /* (owned) (nullable) without leading dashes */
  State                 state;
  GString              *line;      /* (owned) partial line */
  gboolean              line_overflow;
  GString              *body;      /* (owned) */
  int                   depth;
  gboolean              in_string;
  gboolean              escape;
  guint                 n_bad;
  GhDahuaEventFunc      event_func;
  GhDahuaHeartbeatFunc  heartbeat_func;
  gpointer              user_data;
};

static const char *
skip_dashes (const char *p)
{
  while (*p == '-' || *p == ' ' || *p == '\t')
    p++;
  return p;
}

/**
 * gh_dahua_boundary_from_content_type:
 * @content_type: a Content-Type header value
 *
 * Takes the multipart boundary out of @content_type, accepting quoted values and values that
 * already carry the leading "--".
 *
 * Returns: (transfer full) (nullable): the boundary without leading dashes
 */
char *
gh_dahua_boundary_from_content_type (const char *content_type)
{
  const char *p;
  g_autofree char *lower = NULL;
  GString *out;

  if (content_type == NULL)
    return NULL;
  lower = g_ascii_strdown (content_type, -1);
  p = strstr (lower, "boundary");
  if (p == NULL)
    return NULL;
  p = content_type + (p - lower) + strlen ("boundary");
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != '=')
    return NULL;
  p++;
  while (*p == ' ' || *p == '\t')
    p++;
  out = g_string_new (NULL);
  if (*p == '"') {
    p++;
    while (*p && *p != '"')
      g_string_append_c (out, *p++);
  } else {
    while (*p && *p != ';' && *p != ',' && !g_ascii_isspace (*p))
      g_string_append_c (out, *p++);
  }
  p = skip_dashes (out->str);
  if (*p == '\0') {
    g_string_free (out, TRUE);
    return NULL;
  }
  g_string_erase (out, 0, p - out->str);
  return g_string_free (out, FALSE);
}

GhDahuaEventParser *
gh_dahua_event_parser_new (const char           *content_type,
                           GhDahuaEventFunc      event_func,
                           GhDahuaHeartbeatFunc  heartbeat_func,
                           gpointer              user_data)
{
  GhDahuaEventParser *self = g_new0 (GhDahuaEventParser, 1);

  self->boundary = gh_dahua_boundary_from_content_type (content_type);
  self->line = g_string_new (NULL);
  self->body = g_string_new (NULL);
  self->event_func = event_func;
  self->heartbeat_func = heartbeat_func;
  self->user_data = user_data;
  self->state = STATE_PREAMBLE;
  return self;
}

void
gh_dahua_event_parser_free (GhDahuaEventParser *self)
{
  if (self == NULL)
    return;
  g_free (self->boundary);
  g_string_free (self->line, TRUE);
  g_string_free (self->body, TRUE);
  g_free (self);
}

const char *
gh_dahua_event_parser_get_boundary (GhDahuaEventParser *self)
{
  return self->boundary;
}

/* Parts whose body did not parse as an event (kept for diagnosis and tests). */
guint
gh_dahua_event_parser_get_n_bad (GhDahuaEventParser *self)
{
  return self->n_bad;
}

static gboolean
is_delimiter (GhDahuaEventParser *self,
              const char         *line)
{
  const char *p = line;
  gsize n;

  while (*p == ' ' || *p == '\t')
    p++;
  if (p[0] != '-' || p[1] != '-')
    return FALSE;
  p = skip_dashes (p);
  if (self->boundary == NULL) {
    /* No Content-Type seen: learn the boundary from the first delimiter-looking line. */
    const char *q = p;

    if (*q == '\0')
      return FALSE;
    for (; *q; q++) {
      if (!g_ascii_isalnum (*q) && strchr ("'()+_,./:=?-", *q) == NULL)
        return FALSE;
    }
    self->boundary = g_strdup (p);
    return TRUE;
  }
  n = strlen (self->boundary);
  if (strncmp (p, self->boundary, n) != 0)
    return FALSE;
  p += n;
  if (p[0] == '-' && p[1] == '-')
    p += 2;
  while (*p == ' ' || *p == '\t')
    p++;
  return *p == '\0';
}

static gboolean
is_header (const char *line)
{
  const char *p = line;

  if (!g_ascii_isalpha (*p))
    return FALSE;
  while (g_ascii_isalnum (*p) || *p == '-' || *p == '_')
    p++;
  return *p == ':';
}

static void
reset_body (GhDahuaEventParser *self)
{
  g_string_truncate (self->body, 0);
  self->depth = 0;
  self->in_string = FALSE;
  self->escape = FALSE;
}

static void
emit_body (GhDahuaEventParser *self)
{
  g_autoptr(GhDahuaRawEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  const char *text = self->body->str;
  gsize len = self->body->len;

  /* parsed in place (the event copies what it keeps), then the body is reset before any
   * callback runs */
  while (len > 0 && g_ascii_isspace (*text)) {
    text++;
    len--;
  }
  while (len > 0 && g_ascii_isspace (text[len - 1]))
    len--;
  if (len == 0) {
    reset_body (self);
    return;
  }
  if (len == strlen ("Heartbeat") && g_ascii_strncasecmp (text, "Heartbeat", len) == 0) {
    reset_body (self);
    if (self->heartbeat_func)
      self->heartbeat_func (self->user_data);
    return;
  }
  event = gh_dahua_raw_event_parse (text, len, &error);
  reset_body (self);
  if (event == NULL) {
    self->n_bad++;
    g_debug ("Ignoring event part: %s", error->message);
    return;
  }
  if (self->event_func)
    self->event_func (event, self->user_data);
}

/* Tracks JSON nesting so a multi-line data object is known to be complete. */
static void
scan_depth (GhDahuaEventParser *self,
            const char         *line,
            gsize               len)
{
  for (const char *p = line; p < line + len; p++) {
    if (self->in_string) {
      if (self->escape)
        self->escape = FALSE;
      else if (*p == '\\')
        self->escape = TRUE;
      else if (*p == '"')
        self->in_string = FALSE;
    } else if (*p == '"' && self->depth > 0) {
      self->in_string = TRUE;
    } else if (*p == '{' || *p == '[') {
      self->depth++;
    } else if ((*p == '}' || *p == ']') && self->depth > 0) {
      self->depth--;
    }
  }
}

static gboolean
body_complete (GhDahuaEventParser *self)
{
  const char *s = self->body->str;
  gssize i = self->body->len - 1;

  if (self->depth > 0 || self->in_string)
    return FALSE;
  while (i >= 0 && g_ascii_isspace (s[i]))
    i--;
  if (i < 0)
    return FALSE;
  /* "…;data=" with the JSON starting on the next line */
  return s[i] != '=';
}

/* Adds a line (without its line end) to the part's body; a body that is complete with it is
 * emitted and the rest of the part skipped. */
static void
body_add_line (GhDahuaEventParser *self,
               const char         *line,
               gsize               len)
{
  g_string_append_len (self->body, line, len);
  g_string_append_c (self->body, '\n');
  scan_depth (self, line, len);
  if (body_complete (self)) {
    emit_body (self);
    self->state = STATE_SKIP;
  }
}

/* @line is NUL-terminated after @len bytes, or earlier at an embedded NUL. */
static gboolean
handle_line (GhDahuaEventParser  *self,
             char                *line,
             gsize                len,
             GError             **error)
{
  len = strnlen (line, len);

  while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
    line[--len] = '\0';

  if (is_delimiter (self, line)) {
    if (self->state == STATE_BODY)
      emit_body (self);
    reset_body (self);
    self->state = STATE_HEADERS;
    return TRUE;
  }

  switch (self->state) {
  case STATE_PREAMBLE:
  case STATE_SKIP:
    /* HTTP noise before the first part, or trailing bytes after a complete body. */
    if (len > 0)
      g_debug ("Skipping stray line in event stream: %.60s", line);
    return TRUE;

  case STATE_HEADERS:
    if (len == 0) {
      self->state = STATE_BODY;
      return TRUE;
    }
    if (is_header (line))
      return TRUE;
    /* Some firmware puts the body straight after the headers, without a blank line. */
    self->state = STATE_BODY;
    G_GNUC_FALLTHROUGH;

  case STATE_BODY:
  default:
    if (self->body->len == 0 && len == 0)
      return TRUE;
    if (self->body->len + len + 1 > MAX_BODY) {
      reset_body (self);
      self->state = STATE_SKIP;
      self->n_bad++;
      g_set_error (error, GH_ERROR, GH_ERROR_PROTOCOL,
                   "An event part is larger than %u bytes; it was dropped", MAX_BODY);
      return FALSE;
    }
    body_add_line (self, line, len);
    return TRUE;
  }
}

/* The common case on a busy stream, a whole line in the middle of a part's body (the lines of
 * pretty-printed JSON), goes straight into the body without passing through the line buffer.
 * Anything else — a partial line, a possible boundary, a NUL, a line or body near its limit —
 * takes handle_line() with all its checks. Returns whether the line was taken. */
static gboolean
body_line_fast (GhDahuaEventParser *self,
                const char         *line,
                gsize               chunk)
{
  const char *p = line;
  gsize len = chunk - 1; /* without the newline */

  if (self->state != STATE_BODY || self->body->len == 0 || self->line->len > 0 ||
      self->line_overflow || chunk > MAX_LINE || self->body->len + chunk + 1 > MAX_BODY)
    return FALSE;
  while (p < line + len && (*p == ' ' || *p == '\t'))
    p++;
  if (p + 1 < line + len && p[0] == '-' && p[1] == '-')
    return FALSE;
  if (memchr (line, '\0', len) != NULL)
    return FALSE;
  while (len > 0 && line[len - 1] == '\r')
    len--;
  if (len == 0)
    return FALSE;
  body_add_line (self, line, len);
  return TRUE;
}

/**
 * gh_dahua_event_parser_feed:
 * @data: (array length=len): the next bytes of the stream, split anywhere
 *
 * Parses as much as is complete and calls the event and heartbeat functions.
 *
 * Returns: %FALSE with %GH_ERROR_PROTOCOL when a line or part was too large; the parser has
 *   dropped it and stays usable
 */
gboolean
gh_dahua_event_parser_feed (GhDahuaEventParser  *self,
                            const char          *data,
                            gsize                len,
                            GError             **error)
{
  gboolean ok = TRUE;
  const char *end = data + len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  while (data < end) {
    const char *nl = memchr (data, '\n', end - data);
    gsize chunk = (nl ? nl + 1 : end) - data;

    if (nl != NULL && body_line_fast (self, data, chunk)) {
      data += chunk;
      continue;
    }
    if (self->line_overflow) {
      if (nl != NULL)
        self->line_overflow = FALSE;
    } else if (self->line->len + chunk > MAX_LINE) {
      g_string_truncate (self->line, 0);
      self->line_overflow = nl == NULL;
      self->n_bad++;
      /* The part this line belonged to is corrupt: drop it and wait for the next boundary. */
      reset_body (self);
      if (self->state == STATE_BODY || self->state == STATE_HEADERS)
        self->state = STATE_SKIP;
      if (ok)
        g_set_error (error, GH_ERROR, GH_ERROR_PROTOCOL,
                     "A line in the event stream is longer than %u bytes; it was dropped",
                     MAX_LINE);
      ok = FALSE;
    } else {
      g_string_append_len (self->line, data, chunk);
      if (nl != NULL) {
        g_autoptr(GError) local_error = NULL;

        /* Embedded NULs end the line early; that is fine for a text protocol. */
        if (!handle_line (self, self->line->str, self->line->len, &local_error)) {
          if (ok)
            g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
        g_string_truncate (self->line, 0);
      }
    }
    data += chunk;
  }
  return ok;
}

/**
 * gh_dahua_event_parser_finish:
 *
 * Call when the stream ends: a final part that was waiting for its newline is emitted.
 */
void
gh_dahua_event_parser_finish (GhDahuaEventParser *self)
{
  g_return_if_fail (self != NULL);

  if (self->line->len > 0 && !self->line_overflow) {
    g_autofree char *line = g_strndup (self->line->str, self->line->len);

    g_string_truncate (self->line, 0);
    handle_line (self, line, strlen (line), NULL);
  }
  if (self->state == STATE_BODY && self->depth == 0)
    emit_body (self);
  reset_body (self);
  self->state = STATE_PREAMBLE;
}

void
gh_dahua_raw_event_free (GhDahuaRawEvent *self)
{
  if (self == NULL)
    return;
  g_free (self->code);
  g_free (self->action);
  g_clear_pointer (&self->data, gh_dahua_event_data_free);
  g_free (self->data_text);
  g_free (self);
}

static char *
clean_value (const char *start,
             gsize       len)
{
  g_autofree char *raw = g_strstrip (g_strndup (start, len));

  if (g_utf8_validate (raw, -1, NULL))
    return g_steal_pointer (&raw);
  return g_utf8_make_valid (raw, -1);
}

/**
 * gh_dahua_raw_event_parse:
 * @body: a part body such as "Code=Invite;action=Pulse;index=0;data={…}"
 * @len: length of @body, or -1 if NUL-terminated
 *
 * Parses the event grammar. Only the first "=" of each field is significant; "data" takes
 * the rest of the body, so its JSON may contain ";" and "=". index and data are optional.
 *
 * Returns: (transfer full): the event, or %NULL with %GH_ERROR_PROTOCOL when there is no Code
 */
GhDahuaRawEvent *
gh_dahua_raw_event_parse (const char  *body,
                          gssize       len,
                          GError     **error)
{
  g_autoptr(GhDahuaRawEvent) event = g_new0 (GhDahuaRawEvent, 1);
  const char *p, *end;

  g_return_val_if_fail (body != NULL, NULL);

  if (len < 0)
    len = strlen (body);
  p = body;
  end = body + len;
  event->index = -1;

  while (p < end) {
    const char *semi, *eq;
    gsize key_len;

    while (p < end && (g_ascii_isspace (*p) || *p == ';'))
      p++;
    if (p >= end)
      break;
    if ((gsize) (end - p) >= 5 && g_ascii_strncasecmp (p, "data=", 5) == 0) {
      g_autofree char *text = clean_value (p + 5, end - p - 5);

      event->data = gh_dahua_event_data_parse (text, strlen (text));
      event->data_text = g_steal_pointer (&text);
      break;
    }
    semi = memchr (p, ';', end - p);
    if (semi == NULL)
      semi = end;
    eq = memchr (p, '=', semi - p);
    if (eq != NULL) {
      key_len = eq - p;
      while (key_len > 0 && g_ascii_isspace (p[key_len - 1]))
        key_len--;
      if (key_len == 4 && g_ascii_strncasecmp (p, "code", 4) == 0) {
        g_free (event->code);
        event->code = clean_value (eq + 1, semi - eq - 1);
      } else if (key_len == 6 && g_ascii_strncasecmp (p, "action", 6) == 0) {
        g_free (event->action);
        event->action = clean_value (eq + 1, semi - eq - 1);
      } else if (key_len == 5 && g_ascii_strncasecmp (p, "index", 5) == 0) {
        g_autofree char *value = clean_value (eq + 1, semi - eq - 1);
        gint64 n;

        if (g_ascii_string_to_signed (value, 10, G_MININT, G_MAXINT, &n, NULL))
          event->index = (int) n;
      }
    }
    p = semi;
  }

  if (event->code == NULL || *event->code == '\0') {
    g_autofree char *head = g_utf8_make_valid (body, MIN (len, 40));

    g_set_error (error, GH_ERROR, GH_ERROR_PROTOCOL,
                 "The event part “%s” has no Code field", head);
    return NULL;
  }
  if (event->action != NULL && *event->action == '\0')
    g_clear_pointer (&event->action, g_free);
  return g_steal_pointer (&event);
}

/**
 * gh_dahua_raw_event_get_string:
 *
 * Returns: (nullable): the string value of @key in the data object (numbers are not
 *   converted)
 */
const char *
gh_dahua_raw_event_get_string (const GhDahuaRawEvent *self,
                               const char            *key)
{
  return gh_dahua_event_data_get_string (self->data, key);
}

/**
 * gh_dahua_raw_event_get_int:
 *
 * Reads an integer from the data object, accepting numbers, floats ("1644589321.0"),
 * numeric strings and booleans.
 */
gboolean
gh_dahua_raw_event_get_int (const GhDahuaRawEvent *self,
                            const char            *key,
                            gint64                *out_value)
{
  return gh_dahua_event_data_get_int (self->data, key, out_value);
}
