/* test-record.c — results.csv round trip and the reader's rejections. */
#include <criterion/criterion.h>
#include "gct_test.h"
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pauses.h"
#include "record.h"

static char path[64];

static void make_path(void)
{
    strcpy(path, "/tmp/gct-record-XXXXXX");
    int fd = mkstemp(path);
    GCT_ASSERT_GEQ(fd, 0);
    close(fd);
}

static void write_text(const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void sample(gct_result *r, int i)
{
    gct_result_init(r);
    gct_result_set_str(r, gct_result_field("config_id"), "gencycle-trees-gen0_700");
    gct_result_set_str(r, gct_result_field("collector"), "gencycle");
    gct_result_set_str(r, gct_result_field("workload"), "trees");
    gct_result_set_str(r, gct_result_field("knobs"), "gen0=700;gen1=10;gen2=10");
    gct_result_set_str(r, gct_result_field("params"), "parent=strong");
    /* A reason with every character CSV must quote. */
    gct_result_set_str(r, gct_result_field("reason"), i ? "self-check failed: \"x\", then\nmore" : "");
    r->status = i ? GCT_STATUS_FAILED : GCT_STATUS_OK;
    gct_result_set_str(r, gct_result_field("aa_of"), i == 2 ? "gencycle-trees-gen0_700" : "");
    r->round = i;
    r->process = 7 * i;
    r->pid = 4242 + i;
    r->gc_traversed = INT64_C(123456789012);
    r->gen0 = 700;
    r->ops = 10000;
    r->rep = i;
    r->seed = -5;
    r->wall_s = 1.25 + i;
    r->ops_per_s = 10000 / r->wall_s;
    r->pause_p99_us = i ? NAN : 123.456;
    r->peak_bytes = INT64_C(1) << 40;
}

static void write_samples(int n)
{
    FILE *f = fopen(path, "w");
    gct_result_csv_header(f);
    for (int i = 0; i < n; i++) {
        gct_result r;
        sample(&r, i);
        gct_result_csv_row(f, &r);
        gct_result_free(&r);
    }
    fclose(f);
}

/* n sample rows as the text of a results.csv, to be damaged and written back. */
static void sample_text(int n, char *text, size_t len)
{
    write_samples(n);
    FILE *f = fopen(path, "r");
    cr_assert(f);
    size_t got = fread(text, 1, len - 1, f);
    fclose(f);
    text[got] = 0;
}

static char *expect_error(void)
{
    static char err[512];
    gct_results set;
    GCT_ASSERT_EQ(gct_results_read_csv(path, &set, err, sizeof err), -1, "read should fail");
    GCT_ASSERT_EQ(set.n, 0);
    return err;
}

Test(record, csv_round_trip_keeps_every_field)
{
    make_path();
    write_samples(3);
    gct_results set;
    char err[512];
    GCT_ASSERT_EQ(gct_results_read_csv(path, &set, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(set.n, 3);
    for (int i = 0; i < 3; i++) {
        gct_result want;
        sample(&want, i);
        const gct_result *got = &set.rows[i];
        for (size_t k = 0; k < gct_result_nfields; k++) {
            const gct_field *f = &gct_result_fields[k];
            if (f->type == GCT_F_STR) {
                const char *a = *(char *const *)(const void *)((const char *)got + f->offset);
                const char *b = *(char *const *)(const void *)((const char *)&want + f->offset);
                GCT_ASSERT_STR_EQ(a, b, "row %d field %s", i, f->name);
            } else if (f->type == GCT_F_STATUS) {
                GCT_ASSERT_EQ(got->status, want.status, "row %d status: %s != %s", i,
                              gct_status_name(got->status), gct_status_name(want.status));
            } else {
                double a = gct_result_num(got, f), b = gct_result_num(&want, f);
                cr_assert((isnan(a) && isnan(b)) || fabs(a - b) <= 1e-9 * fabs(b),
                          "row %d field %s: %g != %g", i, f->name, a, b);
            }
        }
        gct_result_free(&want);
    }
    gct_results_free(&set);
    unlink(path);
}

Test(record, columns_are_matched_by_name_not_position)
{
    make_path();
    /* Write the header and one row, then swap the first two columns. */
    write_samples(1);
    FILE *f = fopen(path, "r");
    char head[4096], row[4096];
    cr_assert(fgets(head, sizeof head, f) && fgets(row, sizeof row, f));
    fclose(f);
    char *h2 = strchr(head, ',') + 1, *h3 = strchr(h2, ',');
    char *r2 = strchr(row, ',') + 1, *r3 = strchr(r2, ',');
    char nh[4096], nr[4096];
    snprintf(nh, sizeof nh, "%.*s,%.*s%s", (int)(h3 - h2), h2, (int)(h2 - 1 - head), head, h3);
    snprintf(nr, sizeof nr, "%.*s,%.*s%s", (int)(r3 - r2), r2, (int)(r2 - 1 - row), row, r3);
    f = fopen(path, "w");
    fputs(nh, f);
    fputs(nr, f);
    fclose(f);
    gct_results set;
    char err[512];
    GCT_ASSERT_EQ(gct_results_read_csv(path, &set, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_STR_EQ(set.rows[0].config_id, "gencycle-trees-gen0_700");
    GCT_ASSERT_EQ(set.rows[0].schema, GCT_RESULTS_SCHEMA);
    gct_results_free(&set);
    unlink(path);
}

Test(record, truncated_file_is_rejected_with_its_line)
{
    make_path();
    write_samples(3);
    FILE *f = fopen(path, "r");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    GCT_ASSERT_EQ(truncate(path, size - 40), 0);
    char *err = expect_error();
    cr_assert(strstr(err, path) && strstr(err, ":5:"), "%s", err); /* row 3 starts at line 5 */
    unlink(path);
}

Test(record, malformed_files_are_rejected_naming_the_problem)
{
    make_path();
    write_text("");
    cr_assert(strstr(expect_error(), "empty file"));

    write_text("schema,config_id,bogus\n");
    cr_assert(strstr(expect_error(), "unknown column 'bogus'"));

    write_text("schema,config_id\n1,x\n");
    cr_assert(strstr(expect_error(), "is missing"));

    /* A value that is not a number, in an otherwise valid file. */
    char text[16384];
    sample_text(2, text, sizeof text);
    char *p = strstr(text, ",10000,"); /* the ops column of row 1 */
    cr_assert(p);
    memcpy(p + 1, "1O000", 5);
    write_text(text);
    char *err = expect_error();
    cr_assert(strstr(err, ":2:") && strstr(err, "'1O000' is not a whole number"), "%s", err);

    /* A status that is neither ok nor failed. */
    sample_text(1, text, sizeof text);
    p = strstr(text, ",ok,");
    cr_assert(p, "%s", text);
    memcpy(p + 1, "OK", 2);
    write_text(text);
    err = expect_error();
    cr_assert(strstr(err, ":2:") && strstr(err, "'OK' is not a status"), "%s", err);

    /* An older schema: one record per configuration and repetition, not per
     * process; refused with the reason. */
    sample_text(1, text, sizeof text);
    strchr(text, '\n')[1] = '1';
    write_text(text);
    err = expect_error();
    cr_assert(strstr(err, "schema version 1") && strstr(err, "measure again"), "%s", err);

    /* A newer schema. */
    sample_text(1, text, sizeof text);
    strchr(text, '\n')[1] = '9';
    write_text(text);
    err = expect_error();
    cr_assert(strstr(err, "schema version 9"), "%s", err);
    unlink(path);
}

Test(record, json_has_every_field_and_null_for_missing_numbers)
{
    make_path();
    gct_result r[2];
    sample(&r[0], 0);
    sample(&r[1], 1);
    FILE *f = fopen(path, "w");
    GCT_ASSERT_EQ(gct_results_write_json(f, r, 2), 0);
    fclose(f);
    json_error_t je;
    json_t *arr = json_load_file(path, 0, &je);
    cr_assert(arr, "%s", je.text);
    GCT_ASSERT_EQ(json_array_size(arr), 2);
    json_t *o = json_array_get(arr, 1);
    GCT_ASSERT_EQ(json_object_size(o), gct_result_nfields);
    cr_assert(json_is_null(json_object_get(o, "pause_p99_us")));
    GCT_ASSERT_EQ(json_integer_value(json_object_get(o, "peak_bytes")), INT64_C(1) << 40);
    json_decref(arr);
    gct_result_free(&r[0]);
    gct_result_free(&r[1]);
    unlink(path);
}

/* The CSV text with only the first k columns of every record (quotes,
 * and the commas and newlines inside them, kept). */
static void keep_columns(const char *in, char *out, size_t k)
{
    bool quoted = false;
    size_t col = 0;
    for (const char *p = in; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        if (!quoted && *p == '\n') {
            col = 0;
            *out++ = '\n';
            continue;
        }
        if (!quoted && *p == ',')
            col++;
        if (col < k)
            *out++ = *p;
    }
    *out = 0;
}

Test(record, a_file_older_than_the_late_fields_reads_them_as_empty)
{
    make_path();
    static char text[65536], cut[65536];
    sample_text(2, text, sizeof text);
    const gct_field *late = gct_result_field(GCT_RESULT_FIRST_LATE_FIELD);
    cr_assert(late, "the first late field exists");
    size_t k = (size_t)(late - gct_result_fields);
    keep_columns(text, cut, k);
    FILE *f = fopen(path, "w");
    fputs(cut, f);
    fclose(f);
    gct_results set;
    char err[512];
    GCT_ASSERT_EQ(gct_results_read_csv(path, &set, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(set.n, 2);
    cr_assert(isnan(set.rows[0].retained_bytes_per_op), "a missing late F64 reads as empty");
    GCT_ASSERT_EQ(set.rows[0].uncollectable, 0);
    gct_results_free(&set);
    /* One column fewer: an early field is missing, which is an error. */
    keep_columns(text, cut, k - 1);
    f = fopen(path, "w");
    fputs(cut, f);
    fclose(f);
    char *e = expect_error();
    cr_assert(strstr(e, "is missing"), "%s", e);
    unlink(path);
}

Test(record, a_pauses_file_from_before_alloc_bytes_still_reads)
{
    make_path();
    FILE *f = fopen(path, "w");
    fputs("rep,start_ms,duration_us,kind,examined,freed\n0,1.5,20.000,gen0,700,10\n", f);
    fclose(f);
    gct_pause_rows pr;
    char err[512];
    GCT_ASSERT_EQ(gct_pauses_read(path, &pr, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(pr.n, 1);
    GCT_ASSERT_EQ(pr.rows[0].freed, 10);
    GCT_ASSERT_EQ(pr.rows[0].alloc_bytes, -1, "not known in an old file");
    gct_pause_rows_free(&pr);
    /* Written now: the column round-trips; a row short of it is refused. */
    gct_pause_rows_push(&pr, &(gct_pause_row){.rep = 1, .kind = "gen2", .alloc_bytes = 123456});
    f = fopen(path, "w");
    gct_pauses_write(f, &pr);
    fclose(f);
    gct_pause_rows_free(&pr);
    GCT_ASSERT_EQ(gct_pauses_read(path, &pr, err, sizeof err), 0, "%s", err);
    GCT_ASSERT_EQ(pr.rows[0].alloc_bytes, 123456);
    gct_pause_rows_free(&pr);
    f = fopen(path, "w");
    fputs("rep,start_ms,duration_us,kind,examined,freed,alloc_bytes\n0,1.5,20.000,gen0,700,10\n",
          f);
    fclose(f);
    GCT_ASSERT_EQ(gct_pauses_read(path, &pr, err, sizeof err), -1, "a short row");
    cr_assert(strstr(err, ":2: malformed pause row"), "%s", err);
    unlink(path);
}
