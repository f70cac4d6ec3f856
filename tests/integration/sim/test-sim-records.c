/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Records, users/cards/faces and the credential checks a door station makes with them. */
#include "sim-test-util.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

static SimProc *sim;

static void
assert_reply (SimReply   *reply,
              long        status,
              const char *body)
{
  g_assert_cmpint (reply->status, ==, status);
  if (body)
    g_assert_cmpstr (reply->body->str, ==, body);
}

static char *
cgi_kv (const char *device,
        const char *path,
        const char *key)
{
  g_autoptr(SimReply) reply = sim_cgi (sim, device, path);

  g_assert_cmpint (reply->status, ==, 200);
  return sim_kv (reply->body->str, key);
}

static void
test_legacy_cards (void)
{
  g_autoptr(SimReply) no_card = sim_cgi (sim, "VTO-A", "/cgi-bin/recordUpdater.cgi?action=insert"
                                         "&name=AccessControlCard&CardName=Bob");
  g_autoptr(SimReply) insert = sim_cgi (sim, "VTO-A", "/cgi-bin/recordUpdater.cgi?action=insert"
                                        "&name=AccessControlCard&CardNo=AB12CD&CardName=Bob"
                                        "&UserID=2001&CardStatus=0&CardType=0&Doors%5B0%5D=0"
                                        "&ValidDateStart=20200101%20000000"
                                        "&ValidDateEnd=20371231%20235959");
  g_autoptr(SimReply) dup = sim_cgi (sim, "VTO-A", "/cgi-bin/recordUpdater.cgi?action=insert"
                                     "&name=AccessControlCard&CardNo=AB12CD");
  g_autofree char *recno = sim_kv (insert->body->str, "RecNo");
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;

  assert_reply (no_card, 400, "Error\r\nBad Request!\r\n");
  g_assert_cmpint (insert->status, ==, 200);
  g_assert_nonnull (recno);
  assert_reply (dup, 400, NULL);

  path = g_strdup_printf ("/cgi-bin/recordUpdater.cgi?action=update&name=AccessControlCard"
                          "&recno=%s&CardName=Robert", recno);
  {
    g_autoptr(SimReply) update = sim_cgi (sim, "VTO-A", path);

    assert_reply (update, 200, "OK\r\n");
  }
  g_free (path);
  path = g_strdup_printf ("/cgi-bin/recordUpdater.cgi?action=get&name=AccessControlCard&recno=%s",
                          recno);
  name = cgi_kv ("VTO-A", path, "records[0].CardName");
  g_assert_cmpstr (name, ==, "Robert");
  {
    g_autofree char *found = cgi_kv ("VTO-A", "/cgi-bin/recordFinder.cgi?action=find"
                                     "&name=AccessControlCard&condition.UserID=2001", "found");
    g_autofree char *none = cgi_kv ("VTO-A", "/cgi-bin/recordFinder.cgi?action=find"
                                    "&name=AccessControlCard&condition.UserID=9999", "found");

    g_assert_cmpstr (found, ==, "1");
    g_assert_cmpstr (none, ==, "0");
  }
  {
    /* The legacy card opens door 1 only (Doors[0]=0). */
    long status = 0;
    g_autoptr(json_object) ok = sim_ctl (sim, "VTO-A", "card", "{\"card\":\"AB12CD\",\"door\":1}",
                                         &status);
    g_autoptr(json_object) no = sim_ctl (sim, "VTO-A", "card", "{\"card\":\"AB12CD\",\"door\":2}",
                                         &status);
    json_object *v;

    json_object_object_get_ex (ok, "granted", &v);
    g_assert_true (json_object_get_boolean (v));
    json_object_object_get_ex (no, "granted", &v);
    g_assert_false (json_object_get_boolean (v));
  }
  {
    g_autoptr(SimReply) remove = sim_cgi (sim, "VTO-A", "/cgi-bin/recordUpdater.cgi?action=remove"
                                          "&name=AccessControlCard&CardNo=AB12CD");
    g_autoptr(SimReply) again = sim_cgi (sim, "VTO-A", "/cgi-bin/recordUpdater.cgi?action=remove"
                                         "&name=AccessControlCard&CardNo=AB12CD");
    g_autoptr(SimReply) unknown = sim_cgi (sim, "VTO-A", "/cgi-bin/recordFinder.cgi?action=find"
                                           "&name=NoSuchRecord");

    assert_reply (remove, 200, "OK\r\n");
    assert_reply (again, 400, NULL);
    assert_reply (unknown, 400, "Error\r\nBad Request!\r\n");
  }
}

static void
test_find_cap (void)
{
  for (guint i = 0; i < 1030; i++) {
    g_autofree char *path = g_strdup_printf ("/cgi-bin/recordUpdater.cgi?action=insert"
                                             "&name=VideoTalkContact&VTHNumber=%u&FirstName=R%u",
                                             1000 + i, i);
    g_autoptr(SimReply) reply = sim_cgi (sim, "VTS-1", path);

    g_assert_cmpint (reply->status, ==, 200);
  }
  {
    g_autoptr(SimReply) all = sim_cgi (sim, "VTS-1", "/cgi-bin/recordFinder.cgi?action=find"
                                       "&name=VideoTalkContact&count=5000");
    g_autofree char *found = sim_kv (all->body->str, "found");
    g_autofree char *last = sim_kv (all->body->str, "records[1023].VTHNumber");
    g_autofree char *beyond = sim_kv (all->body->str, "records[1024].VTHNumber");
    g_autofree char *size = cgi_kv ("VTS-1", "/cgi-bin/recordFinder.cgi?action=getQuerySize"
                                    "&name=VideoTalkContact", "count");
    g_autofree char *rest = cgi_kv ("VTS-1", "/cgi-bin/recordFinder.cgi?action=doSeekFind"
                                    "&name=VideoTalkContact&offset=1024&count=100", "found");
    g_autofree char *first_rest = cgi_kv ("VTS-1", "/cgi-bin/recordFinder.cgi?action=doSeekFind"
                                          "&name=VideoTalkContact&offset=1024&count=100",
                                          "records[0].VTHNumber");

    g_assert_cmpstr (found, ==, "1024");
    g_assert_cmpstr (last, ==, "2023");
    g_assert_null (beyond);
    g_assert_cmpstr (size, ==, "1030");
    g_assert_cmpstr (rest, ==, "6");
    g_assert_cmpstr (first_rest, ==, "2024");
  }
  {
    g_autoptr(SimReply) clear = sim_cgi (sim, "VTS-1", "/cgi-bin/recordUpdater.cgi?action=clear"
                                         "&name=VideoTalkContact");
    g_autofree char *size = NULL;

    assert_reply (clear, 200, "OK\r\n");
    size = cgi_kv ("VTS-1", "/cgi-bin/recordFinder.cgi?action=getQuerySize&name=VideoTalkContact",
                   "Size");
    g_assert_cmpstr (size, ==, "0");
  }
}

static void
test_notices (void)
{
  g_autoptr(SimReply) insert = sim_cgi (sim, "VTH-1101", "/cgi-bin/recordUpdater.cgi?action=insert"
                                        "&name=Announcement&AnnounceTitle=Water%20off"
                                        "&AnnounceContent=Tuesday%209-12&AnnounceDoor=1101"
                                        "&IssueTime=1795000000&ExpireTime=1796000000");
  g_autoptr(json_object) state = sim_state (sim, "VTH-1101");
  json_object *records, *notices, *row, *title;
  g_autofree char *text = cgi_kv ("VTH-1101", "/cgi-bin/recordFinder.cgi?action=find"
                                  "&name=Announcement", "records[0].AnnounceContent");

  g_assert_cmpint (insert->status, ==, 200);
  g_assert_cmpstr (text, ==, "Tuesday 9-12");
  g_assert_true (json_object_object_get_ex (state, "records", &records));
  g_assert_true (json_object_object_get_ex (records, "Announcement", &notices));
  row = json_object_array_get_idx (notices, 0);
  g_assert_true (json_object_object_get_ex (row, "AnnounceTitle", &title));
  g_assert_cmpstr (json_object_get_string (title), ==, "Water off");
}

static void
test_json_stores (void)
{
  const char *users = "{\"UserList\":[{\"UserID\":\"U1\",\"UserName\":\"Ann\",\"UserType\":0,"
                      "\"Password\":\"1234\",\"Doors\":[0,1],\"TimeSections\":[255],"
                      "\"ValidFrom\":\"2020-01-01 00:00:00\",\"ValidTo\":\"2037-12-31 23:59:59\"},"
                      "{\"UserID\":\"U2\",\"UserName\":\"Old\",\"Doors\":[0],"
                      "\"ValidFrom\":\"2010-01-01 00:00:00\",\"ValidTo\":\"2011-01-01 00:00:00\"},"
                      "{\"UserID\":\"U3\",\"UserName\":\"Night\",\"TimeSections\":[5]}]}";
  g_autoptr(SimReply) insert = sim_cgi_post (sim, "VTO-A",
                                             "/cgi-bin/AccessUser.cgi?action=insertMulti", users);
  g_autoptr(SimReply) dup = sim_cgi_post (sim, "VTO-A",
                                          "/cgi-bin/AccessUser.cgi?action=insertMulti",
                                          "{\"UserList\":[{\"UserID\":\"U1\"}]}");
  g_autoptr(SimReply) garbage = sim_cgi_post (sim, "VTO-A",
                                              "/cgi-bin/AccessUser.cgi?action=insertMulti", "{x");
  g_autoptr(SimReply) list = sim_cgi (sim, "VTO-A", "/cgi-bin/AccessUser.cgi?action=list"
                                      "&UserIDList%5B0%5D=U1&UserIDList%5B1%5D=U3");
  g_autoptr(json_object) listed = json_tokener_parse (list->body->str);
  json_object *array;

  assert_reply (insert, 200, "OK\r\n");
  assert_reply (dup, 400, "Error\r\nBad Request!\r\n");
  assert_reply (garbage, 400, NULL);
  g_assert_nonnull (listed);
  g_assert_true (json_object_object_get_ex (listed, "UserList", &array));
  g_assert_cmpuint (json_object_array_length (array), ==, 2);

  {
    g_autoptr(SimReply) update = sim_cgi_post (sim, "VTO-A",
                                               "/cgi-bin/AccessUser.cgi?action=updateMulti",
                                               "{\"UserList\":[{\"UserID\":\"U3\","
                                               "\"UserName\":\"Night shift\"}]}");
    g_autoptr(SimReply) update_missing = sim_cgi_post (sim, "VTO-A",
                                                       "/cgi-bin/AccessUser.cgi?action=updateMulti",
                                                       "{\"UserList\":[{\"UserID\":\"U9\"}]}");

    assert_reply (update, 200, "OK\r\n");
    assert_reply (update_missing, 400, NULL);
  }
  {
    g_autoptr(SimReply) start = sim_cgi (sim, "VTO-A", "/cgi-bin/AccessUser.cgi?action=startFind");
    g_autoptr(json_object) found = json_tokener_parse (start->body->str);
    json_object *token, *total, *info;
    g_autofree char *path = NULL;
    g_autoptr(SimReply) page = NULL;
    g_autoptr(json_object) page_json = NULL;

    g_assert_nonnull (found);
    g_assert_true (json_object_object_get_ex (found, "Token", &token));
    g_assert_true (json_object_object_get_ex (found, "Total", &total));
    g_assert_cmpint (json_object_get_int (total), ==, 3);
    path = g_strdup_printf ("/cgi-bin/AccessUser.cgi?action=doFind&Token=%d&Offset=1&Count=5",
                            json_object_get_int (token));
    page = sim_cgi (sim, "VTO-A", path);
    page_json = json_tokener_parse (page->body->str);
    g_assert_true (json_object_object_get_ex (page_json, "Info", &info));
    g_assert_cmpuint (json_object_array_length (info), ==, 2);
    g_free (path);
    path = g_strdup_printf ("/cgi-bin/AccessUser.cgi?action=stopFind&Token=%d",
                            json_object_get_int (token));
    {
      g_autoptr(SimReply) stop = sim_cgi (sim, "VTO-A", path);

      assert_reply (stop, 200, "OK\r\n");
    }
  }
  {
    const char *cards = "{\"CardList\":["
                        "{\"CardNo\":\"C1\",\"UserID\":\"U1\",\"CardType\":0,\"CardStatus\":0},"
                        "{\"CardNo\":\"C2\",\"UserID\":\"U1\",\"CardType\":0,\"CardStatus\":2},"
                        "{\"CardNo\":\"C3\",\"UserID\":\"U2\",\"CardType\":0,\"CardStatus\":0},"
                        "{\"CardNo\":\"C4\",\"UserID\":\"U1\",\"CardType\":5,\"CardStatus\":0},"
                        "{\"CardNo\":\"C5\",\"UserID\":\"U3\",\"CardType\":0,\"CardStatus\":0}]}";
    g_autoptr(SimReply) reply = sim_cgi_post (sim, "VTO-A",
                                              "/cgi-bin/AccessCard.cgi?action=insertMulti", cards);
    g_autoptr(SimReply) face = sim_cgi_post (sim, "VTO-A",
                                             "/cgi-bin/AccessFace.cgi?action=insertMulti",
                                             "{\"FaceList\":[{\"UserID\":\"U1\","
                                             "\"PhotoData\":[\"/9j/4AAQSkZJRg==\"]}]}");
    g_autoptr(SimReply) finger = sim_cgi_post (sim, "VTO-A",
                                               "/cgi-bin/AccessFingerprint.cgi?action=insertMulti",
                                               "{\"FingerprintList\":[{\"UserID\":\"U1\","
                                               "\"FingerprintData\":[\"AAAA\"]}]}");
    g_autoptr(SimReply) card_list = sim_cgi (sim, "VTO-A", "/cgi-bin/AccessCard.cgi?action=list"
                                             "&CardNoList%5B0%5D=C4");

    assert_reply (reply, 200, "OK\r\n");
    assert_reply (face, 200, "OK\r\n");
    assert_reply (finger, 200, "OK\r\n");
    g_assert_true (strstr (card_list->body->str, "\"CardType\":5") != NULL);
  }
}

static gboolean
attempt (const char *action,
         const char *json)
{
  long status = 0;
  g_autoptr(json_object) reply = sim_ctl (sim, "VTO-A", action, json, &status);
  json_object *granted;

  g_assert_cmpint (status, ==, 200);
  g_assert_true (json_object_object_get_ex (reply, "granted", &granted));
  return json_object_get_boolean (granted);
}

static void
test_access_checks (void)
{
  SimStream *stream = sim_stream_open (sim, "VTO-A", "action=attach&codes=%5BAll%5D");
  g_autoptr(SimReply) schedule = sim_cgi (sim, "VTO-A", "/cgi-bin/configManager.cgi?"
                                          "action=setConfig"
                                          "&AccessTimeSchedule%5B5%5D.Enable=false");
  g_autoptr(SimReply) pwd = sim_cgi (sim, "VTO-A", "/cgi-bin/recordUpdater.cgi?action=insert"
                                     "&name=AccessControlPwd&UserID=11&DoorOpenPwd=888888");
  guint before, granted_rows;

  /* Schedule 5 is disabled, so U3 (TimeSections [5]) is outside its time section. */
  assert_reply (schedule, 200, "OK\r\n");
  g_assert_cmpint (pwd->status, ==, 200);
  {
    g_autofree char *total = cgi_kv ("VTO-A", "/cgi-bin/recordFinder.cgi?action=getQuerySize"
                                     "&name=AccessControlCardRec", "count");

    before = atoi (total);
  }

  g_assert_true (attempt ("card", "{\"card\":\"C1\",\"door\":1}"));
  g_assert_true (sim_stream_wait (stream, "\"Method\" : 1", 2000));
  g_assert_true (sim_stream_wait (stream, "\"Status\" : \"Open\"", 2000));
  g_assert_false (attempt ("card", "{\"card\":\"C2\",\"door\":1}"));          /* frozen */
  g_assert_true (sim_stream_wait (stream, "\"ErrorCode\" : 32", 2000));
  g_assert_false (attempt ("card", "{\"card\":\"C3\",\"door\":1}"));          /* expired user */
  g_assert_true (sim_stream_wait (stream, "\"ErrorCode\" : 20", 2000));
  g_assert_false (attempt ("card", "{\"card\":\"NOPE\",\"door\":1}"));        /* unknown */
  g_assert_true (sim_stream_wait (stream, "\"ErrorCode\" : 16", 2000));
  g_assert_false (attempt ("card", "{\"card\":\"C5\",\"door\":1}"));          /* time section */
  g_assert_true (sim_stream_wait (stream, "\"ErrorCode\" : 24", 2000));
  g_assert_true (attempt ("card", "{\"card\":\"C4\",\"door\":2}"));           /* duress */
  g_assert_true (sim_stream_wait (stream, "Code=Duress;action=Pulse;index=1", 2000));
  g_assert_true (sim_stream_wait (stream, "\"State\" : 9", 2000));            /* denied light */

  g_assert_true (attempt ("password", "{\"user\":\"U1\",\"password\":\"1234\"}"));
  g_assert_false (attempt ("password", "{\"user\":\"U1\",\"password\":\"0000\"}"));
  g_assert_true (sim_stream_wait (stream, "\"Method\" : 2", 2000));

  g_assert_true (attempt ("unlock-code", "{\"code\":\"000011888888\"}"));
  g_assert_false (attempt ("unlock-code", "{\"code\":\"000011888887\"}"));
  g_assert_false (attempt ("unlock-code", "{\"code\":\"000012888888\"}"));
  {
    long status = 0;
    g_autoptr(json_object) bad = sim_ctl (sim, "VTO-A", "unlock-code", "{\"code\":\"11#88\"}",
                                          &status);

    g_assert_cmpint (status, ==, 400);
  }

  g_assert_true (attempt ("face", "{\"user\":\"U1\"}"));
  g_assert_true (sim_stream_wait (stream, "\"Method\" : 15", 2000));
  g_assert_false (attempt ("face", "{\"user\":\"U2\"}"));
  g_assert_true (attempt ("fingerprint", "{\"user\":\"U1\"}"));
  g_assert_true (sim_stream_wait (stream, "\"Method\" : 6", 2000));
  g_assert_false (attempt ("fingerprint", "{\"user\":\"U3\"}"));

  {
    g_autofree char *total = cgi_kv ("VTO-A", "/cgi-bin/recordFinder.cgi?action=getQuerySize"
                                     "&name=AccessControlCardRec", "count");
    g_autofree char *ok = cgi_kv ("VTO-A", "/cgi-bin/recordFinder.cgi?action=find"
                                  "&name=AccessControlCardRec&condition.Status=1", "totalCount");

    g_assert_cmpint (atoi (total), ==, before + 15);
    granted_rows = atoi (ok);
    g_assert_cmpuint (granted_rows, >=, 6);
  }
  {
    g_autofree char *alarm = cgi_kv ("VTO-A", "/cgi-bin/recordFinder.cgi?action=find"
                                     "&name=AlarmRecord&condition.AlarmType=Duress", "found");

    g_assert_cmpstr (alarm, ==, "1");
  }
  {
    g_autoptr(SimReply) removed = sim_cgi (sim, "VTO-A", "/cgi-bin/AccessCard.cgi"
                                           "?action=removeMulti&CardNoList%5B0%5D=C1");

    assert_reply (removed, 200, "OK\r\n");
    g_assert_false (attempt ("card", "{\"card\":\"C1\",\"door\":1}"));
  }
  sim_stream_close (stream);
}

static void
test_time_section (void)
{
  /* A schedule that never matches: every weekday window is disabled. */
  GString *path = g_string_new ("/cgi-bin/configManager.cgi?action=setConfig");

  for (guint d = 0; d < 7; d++)
    g_string_append_printf (path, "&AccessTimeSchedule%%5B0%%5D.TimeSection%%5B%u%%5D%%5B0%%5D="
                            "0%%2000:00:00-23:59:59", d);
  {
    g_autoptr(SimReply) reply = sim_cgi (sim, "VTO-A", path->str);

    assert_reply (reply, 200, "OK\r\n");
  }
  g_string_free (path, TRUE);
  {
    g_autoptr(SimReply) user = sim_cgi_post (sim, "VTO-A",
                                             "/cgi-bin/AccessUser.cgi?action=insertMulti",
                                             "{\"UserList\":[{\"UserID\":\"U7\","
                                             "\"Password\":\"77\",\"TimeSections\":[0]}]}");

    assert_reply (user, 200, "OK\r\n");
  }
  g_assert_false (attempt ("password", "{\"user\":\"U7\",\"password\":\"77\"}"));
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  curl_global_init (CURL_GLOBAL_DEFAULT);
  sim = sim_proc_start (SIM_TEST_COMMUNITY, NULL);

  g_test_add_func ("/sim/records/legacy-cards", test_legacy_cards);
  g_test_add_func ("/sim/records/find-cap", test_find_cap);
  g_test_add_func ("/sim/records/notices", test_notices);
  g_test_add_func ("/sim/records/json-stores", test_json_stores);
  g_test_add_func ("/sim/records/access-checks", test_access_checks);
  g_test_add_func ("/sim/records/time-section", test_time_section);
  result = g_test_run ();

  sim_proc_stop (sim);
  curl_global_cleanup ();
  return result;
}
