/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Registration numbers and organization paths.
 *
 * A community is organized as community → building → unit → room. Some communities have no
 * unit level; then a room sits directly under its building. Which layout a community uses is
 * a setting (#GhOrgLevels) that every parse function needs, because `11#01#11` is
 * building#unit#room in one layout and building#room#extension in the other.
 *
 * Field rules (all fields are strings of ASCII digits; leading zeros are kept exactly as
 * given, so `02` and `2` are different buildings, as they are on the devices):
 *
 *  - building: 1–3 digits (GH_NUMBERING_BUILDING_MAX_DIGITS), not all zeros
 *  - unit:     1–2 digits (GH_NUMBERING_UNIT_MAX_DIGITS), not all zeros
 *  - room:     1–6 digits (GH_NUMBERING_ROOM_MAX_DIGITS), not all zeros; six because the
 *              door-station unlock code pads the room number to six digits (gh-unlock-code.h)
 *  - extension (VTH only): one digit 0–9. 0 names the main indoor monitor of a room
 *              explicitly; 1–9 are further monitors in the same room. A VTH number without
 *              an extension addresses the main monitor, so `11#01#11` and `11#01#11#0`
 *              conflict (see gh_reg_number_conflicts()).
 *  - device number (VTO, VTS, fence and villa stations): 2–6 digits, not all zeros. At
 *              least two digits, because the installer confirms it by entering its last two.
 *
 * Text forms (`#` separates levels, no spaces):
 *
 *  - organization path: `building#unit#room` (`02#01#302`), or `building#room` without units
 *  - VTH:   `building#unit#room[#extension]` (`11#01#11#5`), or `building#room[#extension]`
 *  - VTO:   `building#unit#device` (`11#01#8055`), or `building#device` without units
 *  - VTS, fence station, villa station: the device number alone (`101`, `9901`); these
 *           stations belong to the community, not to a building. The manual describes the
 *           rule for VTS only; fence and villa stations follow the same rule here.
 *
 * When an installer registers a VTO, VTS, fence or villa station, they type two digits that
 * must equal the last two digits of the station's own number (VTO 8055 → `55`, VTS 101 →
 * `01`). The builders check this and name both values when they differ.
 */

#define GH_NUMBERING_BUILDING_MAX_DIGITS 3
#define GH_NUMBERING_UNIT_MAX_DIGITS     2
#define GH_NUMBERING_ROOM_MAX_DIGITS     6
#define GH_NUMBERING_DEVICE_MIN_DIGITS   2
#define GH_NUMBERING_DEVICE_MAX_DIGITS   6
#define GH_NUMBERING_NO_EXTENSION        (-1)

/**
 * GhOrgLevels:
 * @GH_ORG_LEVELS_BUILDING_UNIT: community → building → unit → room
 * @GH_ORG_LEVELS_BUILDING: community → building → room (no unit level)
 */
typedef enum {
  GH_ORG_LEVELS_BUILDING_UNIT,
  GH_ORG_LEVELS_BUILDING,
} GhOrgLevels;

/**
 * GhRegKind:
 * @GH_REG_KIND_VTH: indoor monitor, numbered by its room (and extension)
 * @GH_REG_KIND_VTO: unit door station, numbered by building, unit and its device number
 * @GH_REG_KIND_VTS: master (guard) station, numbered by its device number
 * @GH_REG_KIND_FENCE: community gate (fence) station, numbered by its device number
 * @GH_REG_KIND_VILLA: villa door station, numbered by its device number
 */
typedef enum {
  GH_REG_KIND_VTH,
  GH_REG_KIND_VTO,
  GH_REG_KIND_VTS,
  GH_REG_KIND_FENCE,
  GH_REG_KIND_VILLA,
} GhRegKind;

#define GH_NUMBERING_FIELD_SIZE 8

/**
 * GhOrgPath:
 * @building: the building number
 * @unit: the unit number, or "" without a unit level
 * @room: the room number
 *
 * Where a room sits in the organization. A plain value: copy it with `=`.
 */
typedef struct {
  char building[GH_NUMBERING_FIELD_SIZE];
  char unit[GH_NUMBERING_FIELD_SIZE];
  char room[GH_NUMBERING_FIELD_SIZE];
} GhOrgPath;

/**
 * GhRegNumber:
 * @kind: which kind of device the number belongs to
 * @building: building number (VTH, VTO), otherwise ""
 * @unit: unit number (VTH, VTO in a community with units), otherwise ""
 * @room: room number (VTH), otherwise ""
 * @extension: 0–9 (VTH), or %GH_NUMBERING_NO_EXTENSION
 * @device_number: the station's own number (VTO, VTS, fence, villa), otherwise ""
 *
 * A registration number, split into its parts. A plain value: copy it with `=`. Fill one
 * with gh_reg_number_parse() or one of the builders; those only ever produce valid values.
 */
typedef struct {
  GhRegKind kind;
  char      building[GH_NUMBERING_FIELD_SIZE];
  char      unit[GH_NUMBERING_FIELD_SIZE];
  char      room[GH_NUMBERING_FIELD_SIZE];
  int       extension;
  char      device_number[GH_NUMBERING_FIELD_SIZE];
} GhRegNumber;

const char *gh_reg_kind_to_string            (GhRegKind           kind);
const char *gh_reg_kind_get_display_name     (GhRegKind           kind);
gboolean    gh_reg_kind_from_string          (const char         *str,
                                              GhRegKind          *out_kind);

gboolean    gh_numbering_check_last_two      (const char         *device_number,
                                              const char         *entered,
                                              GError            **error);

gboolean    gh_org_path_build                (GhOrgLevels         levels,
                                              const char         *building,
                                              const char         *unit,
                                              const char         *room,
                                              GhOrgPath          *out_path,
                                              GError            **error);
gboolean    gh_org_path_parse                (GhOrgLevels         levels,
                                              const char         *text,
                                              GhOrgPath          *out_path,
                                              GError            **error);
char       *gh_org_path_format               (const GhOrgPath    *path);
gboolean    gh_org_path_equal                (const GhOrgPath    *a,
                                              const GhOrgPath    *b);

gboolean    gh_reg_number_build_vth          (GhOrgLevels         levels,
                                              const char         *building,
                                              const char         *unit,
                                              const char         *room,
                                              int                 extension,
                                              GhRegNumber        *out_number,
                                              GError            **error);
gboolean    gh_reg_number_build_vth_for_path (const GhOrgPath    *path,
                                              int                 extension,
                                              GhRegNumber        *out_number,
                                              GError            **error);
gboolean    gh_reg_number_build_vto          (GhOrgLevels         levels,
                                              const char         *building,
                                              const char         *unit,
                                              const char         *vto_number,
                                              const char         *entered_two_digits,
                                              GhRegNumber        *out_number,
                                              GError            **error);
gboolean    gh_reg_number_build_station      (GhRegKind           kind,
                                              const char         *device_number,
                                              const char         *entered_two_digits,
                                              GhRegNumber        *out_number,
                                              GError            **error);
gboolean    gh_reg_number_parse              (GhRegKind           kind,
                                              GhOrgLevels         levels,
                                              const char         *text,
                                              GhRegNumber        *out_number,
                                              GError            **error);
char       *gh_reg_number_format             (const GhRegNumber  *number);
gboolean    gh_reg_number_get_org_path       (const GhRegNumber  *number,
                                              GhOrgPath          *out_path);
gboolean    gh_reg_number_equal              (const GhRegNumber  *a,
                                              const GhRegNumber  *b);
gboolean    gh_reg_number_conflicts          (const GhRegNumber  *a,
                                              const GhRegNumber  *b);

G_END_DECLS
