/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-numbering"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gh-numbering.h"

#include "gh-error.h"

typedef enum {
  FIELD_BUILDING,
  FIELD_UNIT,
  FIELD_ROOM,
  FIELD_DEVICE,
} Field;

static const struct {
  guint min_digits;
  guint max_digits;
} field_limits[] = {
  [FIELD_BUILDING] = { 1, GH_NUMBERING_BUILDING_MAX_DIGITS },
  [FIELD_UNIT] = { 1, GH_NUMBERING_UNIT_MAX_DIGITS },
  [FIELD_ROOM] = { 1, GH_NUMBERING_ROOM_MAX_DIGITS },
  [FIELD_DEVICE] = { GH_NUMBERING_DEVICE_MIN_DIGITS, GH_NUMBERING_DEVICE_MAX_DIGITS },
};

static const char * const kind_ids[] = {
  [GH_REG_KIND_VTH] = "vth",
  [GH_REG_KIND_VTO] = "vto",
  [GH_REG_KIND_VTS] = "vts",
  [GH_REG_KIND_FENCE] = "fence",
  [GH_REG_KIND_VILLA] = "villa",
};

static const char * const kind_names[] = {
  [GH_REG_KIND_VTH] = N_("VTH"),
  [GH_REG_KIND_VTO] = N_("VTO"),
  [GH_REG_KIND_VTS] = N_("VTS"),
  [GH_REG_KIND_FENCE] = N_("fence station"),
  [GH_REG_KIND_VILLA] = N_("villa station"),
};

static gboolean
all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++) {
    if (!g_ascii_isdigit (*s))
      return FALSE;
  }
  return TRUE;
}

static gboolean
all_zeros (const char *s)
{
  for (; *s != '\0'; s++) {
    if (*s != '0')
      return FALSE;
  }
  return TRUE;
}

static void
set_empty_error (Field    field,
                 GError **error)
{
  const char *msg = NULL;

  switch (field) {
  case FIELD_BUILDING: msg = _("Enter a building number."); break;
  case FIELD_UNIT: msg = _("Enter a unit number."); break;
  case FIELD_ROOM: msg = _("Enter a room number."); break;
  case FIELD_DEVICE: msg = _("Enter the device number of the station."); break;
  default: g_assert_not_reached ();
  }
  g_set_error_literal (error, GH_ERROR, GH_ERROR_INVALID_INPUT, msg);
}

static void
set_digits_error (Field       field,
                  const char *value,
                  GError    **error)
{
  guint max = field_limits[field].max_digits;

  switch (field) {
  case FIELD_BUILDING:
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The building number “%s” is not valid: use 1 to %u digits (0–9)."),
                 value, max);
    break;
  case FIELD_UNIT:
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The unit number “%s” is not valid: use 1 to %u digits (0–9)."),
                 value, max);
    break;
  case FIELD_ROOM:
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The room number “%s” is not valid: use 1 to %u digits (0–9)."),
                 value, max);
    break;
  case FIELD_DEVICE:
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The device number “%s” is not valid: use %u to %u digits (0–9)."),
                 value, field_limits[field].min_digits, max);
    break;
  default:
    g_assert_not_reached ();
  }
}

static void
set_zero_error (Field       field,
                const char *value,
                GError    **error)
{
  switch (field) {
  case FIELD_BUILDING:
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The building number “%s” is zero; buildings are numbered from 1."), value);
    break;
  case FIELD_UNIT:
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The unit number “%s” is zero; units are numbered from 1."), value);
    break;
  case FIELD_ROOM:
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The room number “%s” is zero; rooms are numbered from 1."), value);
    break;
  case FIELD_DEVICE:
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The device number “%s” is zero; use the number set on the station."),
                 value);
    break;
  default:
    g_assert_not_reached ();
  }
}

/* Validates one digit field and copies it into @dest (GH_NUMBERING_FIELD_SIZE bytes). */
static gboolean
take_field (Field       field,
            const char *value,
            char       *dest,
            GError    **error)
{
  gsize len;

  if (value == NULL || *value == '\0') {
    set_empty_error (field, error);
    return FALSE;
  }

  len = strlen (value);
  if (!all_digits (value) ||
      len < field_limits[field].min_digits ||
      len > field_limits[field].max_digits) {
    set_digits_error (field, value, error);
    return FALSE;
  }

  if (all_zeros (value)) {
    set_zero_error (field, value, error);
    return FALSE;
  }

  g_strlcpy (dest, value, GH_NUMBERING_FIELD_SIZE);
  return TRUE;
}

static gboolean
check_extension (int      extension,
                 GError **error)
{
  if (extension == GH_NUMBERING_NO_EXTENSION || (extension >= 0 && extension <= 9))
    return TRUE;

  g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
               _("The extension %d is not valid: use one digit from 0 (main monitor) to 9, "
                 "or leave it empty."), extension);
  return FALSE;
}

static gboolean
parse_extension (const char *text,
                 int        *out_extension,
                 GError    **error)
{
  if (strlen (text) != 1 || !g_ascii_isdigit (text[0])) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The extension “%s” is not valid: use one digit from 0 (main monitor) to 9."),
                 text);
    return FALSE;
  }

  *out_extension = text[0] - '0';
  return TRUE;
}

static void
reg_number_clear (GhRegNumber *number,
                  GhRegKind    kind)
{
  memset (number, 0, sizeof *number);
  number->kind = kind;
  number->extension = GH_NUMBERING_NO_EXTENSION;
}

static gboolean
is_station_kind (GhRegKind kind)
{
  return kind == GH_REG_KIND_VTS || kind == GH_REG_KIND_FENCE || kind == GH_REG_KIND_VILLA;
}

static const char *
describe_format (GhRegKind   kind,
                 GhOrgLevels levels)
{
  switch (kind) {
  case GH_REG_KIND_VTH:
    return levels == GH_ORG_LEVELS_BUILDING_UNIT ?
      _("building#unit#room or building#unit#room#extension, for example 11#01#11#5") :
      _("building#room or building#room#extension, for example 11#302#1");
  case GH_REG_KIND_VTO:
    return levels == GH_ORG_LEVELS_BUILDING_UNIT ?
      _("building#unit#VTO number, for example 11#01#8055") :
      _("building#VTO number, for example 11#8055");
  case GH_REG_KIND_VTS:
  case GH_REG_KIND_FENCE:
  case GH_REG_KIND_VILLA:
    return _("the station’s own number, for example 101");
  default:
    g_return_val_if_reached ("");
  }
}

static char **
split_levels (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));

  return g_strsplit (copy, "#", -1);
}

const char *
gh_reg_kind_to_string (GhRegKind kind)
{
  g_return_val_if_fail (kind <= GH_REG_KIND_VILLA, NULL);

  return kind_ids[kind];
}

/**
 * gh_reg_kind_get_display_name:
 *
 * Returns: the translated name of @kind for messages and labels, e.g. "VTH"
 */
const char *
gh_reg_kind_get_display_name (GhRegKind kind)
{
  g_return_val_if_fail (kind <= GH_REG_KIND_VILLA, NULL);

  return _(kind_names[kind]);
}

gboolean
gh_reg_kind_from_string (const char *str,
                         GhRegKind  *out_kind)
{
  g_return_val_if_fail (out_kind != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (kind_ids); i++) {
    if (g_ascii_strcasecmp (str, kind_ids[i]) == 0) {
      *out_kind = (GhRegKind)i;
      return TRUE;
    }
  }
  return FALSE;
}

/**
 * gh_numbering_check_last_two:
 * @device_number: the station's own number, e.g. "8055" (2–6 digits)
 * @entered: what the installer typed, e.g. "55"
 *
 * Checks the confirmation rule for VTO, VTS, fence and villa stations: @entered must be
 * exactly two digits and equal the last two digits of @device_number.
 *
 * Returns: %TRUE if they match; otherwise %FALSE with %GH_ERROR_INVALID_INPUT naming both.
 */
gboolean
gh_numbering_check_last_two (const char *device_number,
                             const char *entered,
                             GError    **error)
{
  char number[GH_NUMBERING_FIELD_SIZE];
  gsize len;

  if (!take_field (FIELD_DEVICE, device_number, number, error))
    return FALSE;

  if (entered == NULL || strlen (entered) != 2 || !all_digits (entered)) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("Enter exactly two digits, the last two of the station number %s; "
                   "“%s” is not two digits."),
                 number, entered != NULL ? entered : "");
    return FALSE;
  }

  len = strlen (number);
  if (strcmp (number + len - 2, entered) != 0) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("The two digits “%s” do not match the station number %s: "
                   "enter its last two digits, “%s”."),
                 entered, number, number + len - 2);
    return FALSE;
  }

  return TRUE;
}

/**
 * gh_org_path_build:
 * @unit: (nullable): the unit number; must be %NULL or "" when @levels has no unit level
 *
 * Validates the parts of an organization path and fills @out_path.
 */
gboolean
gh_org_path_build (GhOrgLevels  levels,
                   const char  *building,
                   const char  *unit,
                   const char  *room,
                   GhOrgPath   *out_path,
                   GError     **error)
{
  GhOrgPath path = { { 0 } };

  g_return_val_if_fail (out_path != NULL, FALSE);

  if (!take_field (FIELD_BUILDING, building, path.building, error))
    return FALSE;

  if (levels == GH_ORG_LEVELS_BUILDING_UNIT) {
    if (!take_field (FIELD_UNIT, unit, path.unit, error))
      return FALSE;
  } else if (unit != NULL && *unit != '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("This community has no unit level; leave the unit (“%s”) empty."), unit);
    return FALSE;
  }

  if (!take_field (FIELD_ROOM, room, path.room, error))
    return FALSE;

  *out_path = path;
  return TRUE;
}

/**
 * gh_org_path_parse:
 * @text: e.g. "02#01#302" (building 02, unit 01, room 302), or "02#302" without units
 */
gboolean
gh_org_path_parse (GhOrgLevels  levels,
                   const char  *text,
                   GhOrgPath   *out_path,
                   GError     **error)
{
  g_auto(GStrv) parts = NULL;
  guint expected = levels == GH_ORG_LEVELS_BUILDING_UNIT ? 3 : 2;

  g_return_val_if_fail (out_path != NULL, FALSE);

  if (text == NULL)
    text = "";

  parts = split_levels (text);
  if (g_strv_length (parts) != expected) {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("“%s” is not a room in the organization: use %s."), text,
                 levels == GH_ORG_LEVELS_BUILDING_UNIT ?
                 _("building#unit#room, for example 02#01#302") :
                 _("building#room, for example 02#302"));
    return FALSE;
  }

  if (expected == 3)
    return gh_org_path_build (levels, parts[0], parts[1], parts[2], out_path, error);
  return gh_org_path_build (levels, parts[0], NULL, parts[1], out_path, error);
}

/**
 * gh_org_path_format:
 *
 * Returns: (transfer full): "building#unit#room", or "building#room" when the path has no unit
 */
char *
gh_org_path_format (const GhOrgPath *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (path->unit[0] != '\0')
    return g_strdup_printf ("%s#%s#%s", path->building, path->unit, path->room);
  return g_strdup_printf ("%s#%s", path->building, path->room);
}

gboolean
gh_org_path_equal (const GhOrgPath *a,
                   const GhOrgPath *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return strcmp (a->building, b->building) == 0 &&
         strcmp (a->unit, b->unit) == 0 &&
         strcmp (a->room, b->room) == 0;
}

/**
 * gh_reg_number_build_vth:
 * @unit: (nullable): %NULL or "" when @levels has no unit level
 * @extension: 0–9, or %GH_NUMBERING_NO_EXTENSION when the room has one monitor
 *
 * Builds the registration number of an indoor monitor from its room and extension.
 */
gboolean
gh_reg_number_build_vth (GhOrgLevels   levels,
                         const char   *building,
                         const char   *unit,
                         const char   *room,
                         int           extension,
                         GhRegNumber  *out_number,
                         GError      **error)
{
  GhOrgPath path;

  g_return_val_if_fail (out_number != NULL, FALSE);

  if (!gh_org_path_build (levels, building, unit, room, &path, error))
    return FALSE;

  return gh_reg_number_build_vth_for_path (&path, extension, out_number, error);
}

/**
 * gh_reg_number_build_vth_for_path:
 * @path: a valid organization path (from gh_org_path_build() or gh_org_path_parse())
 */
gboolean
gh_reg_number_build_vth_for_path (const GhOrgPath  *path,
                                  int               extension,
                                  GhRegNumber      *out_number,
                                  GError          **error)
{
  GhRegNumber number;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (out_number != NULL, FALSE);

  if (!check_extension (extension, error))
    return FALSE;

  reg_number_clear (&number, GH_REG_KIND_VTH);
  g_strlcpy (number.building, path->building, sizeof number.building);
  g_strlcpy (number.unit, path->unit, sizeof number.unit);
  g_strlcpy (number.room, path->room, sizeof number.room);
  number.extension = extension;

  *out_number = number;
  return TRUE;
}

/**
 * gh_reg_number_build_vto:
 * @unit: (nullable): %NULL or "" when @levels has no unit level
 * @vto_number: the door station's own number, e.g. "8055"
 * @entered_two_digits: what the installer typed; must be the last two digits of @vto_number
 *
 * Builds a VTO registration number: building 11, unit 01, VTO 8055 with "55" entered gives
 * `11#01#8055`; entering "56" fails with a message naming both numbers.
 */
gboolean
gh_reg_number_build_vto (GhOrgLevels   levels,
                         const char   *building,
                         const char   *unit,
                         const char   *vto_number,
                         const char   *entered_two_digits,
                         GhRegNumber  *out_number,
                         GError      **error)
{
  GhRegNumber number;

  g_return_val_if_fail (out_number != NULL, FALSE);

  reg_number_clear (&number, GH_REG_KIND_VTO);

  if (!take_field (FIELD_BUILDING, building, number.building, error))
    return FALSE;

  if (levels == GH_ORG_LEVELS_BUILDING_UNIT) {
    if (!take_field (FIELD_UNIT, unit, number.unit, error))
      return FALSE;
  } else if (unit != NULL && *unit != '\0') {
    g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
                 _("This community has no unit level; leave the unit (“%s”) empty."), unit);
    return FALSE;
  }

  if (!take_field (FIELD_DEVICE, vto_number, number.device_number, error))
    return FALSE;

  if (!gh_numbering_check_last_two (vto_number, entered_two_digits, error))
    return FALSE;

  *out_number = number;
  return TRUE;
}

/**
 * gh_reg_number_build_station:
 * @kind: %GH_REG_KIND_VTS, %GH_REG_KIND_FENCE or %GH_REG_KIND_VILLA
 * @device_number: the station's own number, e.g. "101"
 * @entered_two_digits: must be the last two digits of @device_number ("01" for 101)
 *
 * Builds the registration number of a community-level station; its text form is the
 * station number itself.
 */
gboolean
gh_reg_number_build_station (GhRegKind     kind,
                             const char   *device_number,
                             const char   *entered_two_digits,
                             GhRegNumber  *out_number,
                             GError      **error)
{
  GhRegNumber number;

  g_return_val_if_fail (is_station_kind (kind), FALSE);
  g_return_val_if_fail (out_number != NULL, FALSE);

  reg_number_clear (&number, kind);

  if (!take_field (FIELD_DEVICE, device_number, number.device_number, error))
    return FALSE;

  if (!gh_numbering_check_last_two (device_number, entered_two_digits, error))
    return FALSE;

  *out_number = number;
  return TRUE;
}

/**
 * gh_reg_number_parse:
 * @kind: which kind of device @text numbers
 * @levels: the community's organization levels
 * @text: the registration number, e.g. "11#01#11#5"; surrounding spaces are ignored
 *
 * Splits a registration number into its parts and checks every part.
 */
gboolean
gh_reg_number_parse (GhRegKind     kind,
                     GhOrgLevels   levels,
                     const char   *text,
                     GhRegNumber  *out_number,
                     GError      **error)
{
  g_auto(GStrv) parts = NULL;
  GhRegNumber number;
  guint n_parts;
  guint base;

  g_return_val_if_fail (kind <= GH_REG_KIND_VILLA, FALSE);
  g_return_val_if_fail (out_number != NULL, FALSE);

  if (text == NULL)
    text = "";

  reg_number_clear (&number, kind);
  parts = split_levels (text);
  n_parts = g_strv_length (parts);
  base = levels == GH_ORG_LEVELS_BUILDING_UNIT ? 3 : 2;

  switch (kind) {
  case GH_REG_KIND_VTH:
    if (n_parts != base && n_parts != base + 1)
      goto bad_shape;
    {
      GhOrgPath path;

      if (base == 3 &&
          !gh_org_path_build (levels, parts[0], parts[1], parts[2], &path, error))
        return FALSE;
      if (base == 2 && !gh_org_path_build (levels, parts[0], NULL, parts[1], &path, error))
        return FALSE;
      if (n_parts == base + 1 && !parse_extension (parts[base], &number.extension, error))
        return FALSE;
      g_strlcpy (number.building, path.building, sizeof number.building);
      g_strlcpy (number.unit, path.unit, sizeof number.unit);
      g_strlcpy (number.room, path.room, sizeof number.room);
    }
    break;

  case GH_REG_KIND_VTO:
    if (n_parts != base)
      goto bad_shape;
    if (!take_field (FIELD_BUILDING, parts[0], number.building, error))
      return FALSE;
    if (base == 3 && !take_field (FIELD_UNIT, parts[1], number.unit, error))
      return FALSE;
    if (!take_field (FIELD_DEVICE, parts[base - 1], number.device_number, error))
      return FALSE;
    break;

  case GH_REG_KIND_VTS:
  case GH_REG_KIND_FENCE:
  case GH_REG_KIND_VILLA:
    if (n_parts != 1)
      goto bad_shape;
    if (!take_field (FIELD_DEVICE, parts[0], number.device_number, error))
      return FALSE;
    break;

  default:
    g_assert_not_reached ();
  }

  *out_number = number;
  return TRUE;

bad_shape:
  g_set_error (error, GH_ERROR, GH_ERROR_INVALID_INPUT,
               /* Translators: the second %s is a device kind such as "VTO", the third a
                * pattern such as "building#unit#VTO number, for example 11#01#8055" */
               _("“%s” is not a valid %s registration number: use %s."),
               text, gh_reg_kind_get_display_name (kind), describe_format (kind, levels));
  return FALSE;
}

/**
 * gh_reg_number_format:
 *
 * Returns: (transfer full): the text form, e.g. "11#01#11#5", "11#01#8055" or "101"
 */
char *
gh_reg_number_format (const GhRegNumber *number)
{
  GString *s;

  g_return_val_if_fail (number != NULL, NULL);

  s = g_string_new (NULL);
  switch (number->kind) {
  case GH_REG_KIND_VTH:
    g_string_append (s, number->building);
    if (number->unit[0] != '\0')
      g_string_append_printf (s, "#%s", number->unit);
    g_string_append_printf (s, "#%s", number->room);
    if (number->extension != GH_NUMBERING_NO_EXTENSION)
      g_string_append_printf (s, "#%d", number->extension);
    break;

  case GH_REG_KIND_VTO:
    g_string_append (s, number->building);
    if (number->unit[0] != '\0')
      g_string_append_printf (s, "#%s", number->unit);
    g_string_append_printf (s, "#%s", number->device_number);
    break;

  case GH_REG_KIND_VTS:
  case GH_REG_KIND_FENCE:
  case GH_REG_KIND_VILLA:
    g_string_append (s, number->device_number);
    break;

  default:
    g_string_free (s, TRUE);
    g_return_val_if_reached (NULL);
  }

  return g_string_free (s, FALSE);
}

/**
 * gh_reg_number_get_org_path:
 *
 * Returns: %TRUE and fills @out_path if @number is a VTH number (the only kind that names a
 *   room); %FALSE otherwise.
 */
gboolean
gh_reg_number_get_org_path (const GhRegNumber *number,
                            GhOrgPath         *out_path)
{
  g_return_val_if_fail (number != NULL, FALSE);
  g_return_val_if_fail (out_path != NULL, FALSE);

  if (number->kind != GH_REG_KIND_VTH)
    return FALSE;

  memset (out_path, 0, sizeof *out_path);
  g_strlcpy (out_path->building, number->building, sizeof out_path->building);
  g_strlcpy (out_path->unit, number->unit, sizeof out_path->unit);
  g_strlcpy (out_path->room, number->room, sizeof out_path->room);
  return TRUE;
}

/**
 * gh_reg_number_equal:
 *
 * Returns: %TRUE if both numbers have the same kind and the same parts. `11#01#11` and
 *   `11#01#11#0` are not equal (but they conflict).
 */
gboolean
gh_reg_number_equal (const GhRegNumber *a,
                     const GhRegNumber *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->kind == b->kind &&
         a->extension == b->extension &&
         strcmp (a->building, b->building) == 0 &&
         strcmp (a->unit, b->unit) == 0 &&
         strcmp (a->room, b->room) == 0 &&
         strcmp (a->device_number, b->device_number) == 0;
}

/**
 * gh_reg_number_conflicts:
 *
 * Two registration numbers conflict when devices using them could not both be reached:
 *
 *  - both are VTH numbers for the same room with the same extension, where "no extension"
 *    counts as extension 0, the main monitor: `11#01#11` conflicts with `11#01#11#0`, not
 *    with `11#01#11#1`;
 *  - both are VTOs in the same building and unit whose device numbers end in the same two
 *    digits (the installer identifies a VTO within its unit by those two digits), which
 *    includes equal device numbers;
 *  - both are community-level stations (VTS, fence, villa) with the same device number,
 *    whatever their kinds.
 *
 * Numbers of different families (VTH, VTO, community station) never conflict: they are
 * registered in separate number spaces.
 *
 * Returns: %TRUE if @a and @b collide
 */
gboolean
gh_reg_number_conflicts (const GhRegNumber *a,
                         const GhRegNumber *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (is_station_kind (a->kind) && is_station_kind (b->kind))
    return strcmp (a->device_number, b->device_number) == 0;

  if (a->kind == GH_REG_KIND_VTO && b->kind == GH_REG_KIND_VTO) {
    gsize la = strlen (a->device_number);
    gsize lb = strlen (b->device_number);

    return strcmp (a->building, b->building) == 0 &&
           strcmp (a->unit, b->unit) == 0 &&
           la >= 2 && lb >= 2 &&
           strcmp (a->device_number + la - 2, b->device_number + lb - 2) == 0;
  }

  if (a->kind == GH_REG_KIND_VTH && b->kind == GH_REG_KIND_VTH) {
    int ext_a = a->extension == GH_NUMBERING_NO_EXTENSION ? 0 : a->extension;
    int ext_b = b->extension == GH_NUMBERING_NO_EXTENSION ? 0 : b->extension;

    return strcmp (a->building, b->building) == 0 &&
           strcmp (a->unit, b->unit) == 0 &&
           strcmp (a->room, b->room) == 0 &&
           ext_a == ext_b;
  }

  return FALSE;
}
