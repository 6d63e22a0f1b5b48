/*
 * format.h — how gctune writes numbers for people: durations, counts and
 * sizes, the same way in the console, the report and figure labels.
 */
#ifndef GCT_FORMAT_H
#define GCT_FORMAT_H

#include <stddef.h>

/* "850 µs", "21.4 ms", "1.2 s" ("-" for NaN).  ascii: "us" instead of "µs". */
void gct_fmt_us(double us, char *buf, size_t len);
void gct_fmt_us_ascii(double us, char *buf, size_t len);
/* 2920 -> "2.92k", 1930000 -> "1.93M". */
void gct_fmt_count(double v, char *buf, size_t len);
/* "512 B", "1.5 KiB", "12.0 MiB", "1.25 GiB". */
void gct_fmt_bytes(double b, char *buf, size_t len);
/* A relative difference: 0.031 -> "3.1%", 0.0004 -> "0.04%". */
void gct_fmt_pct(double frac, char *buf, size_t len);

/* Append to the string in buf (of len bytes), truncating; once buf is full
 * further appends do nothing. */
void gct_appendf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
