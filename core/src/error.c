/* error.c: filling and formatting cp_error (see cpdplan/error.h). */
#include "cpdplan/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cp_error_clear(cp_error *err) {
  if (!err) return;
  err->code = 0;
  err->file[0] = '\0';
  err->line = 0;
  err->col = 0;
  err->msg[0] = '\0';
}

static void set_msg(cp_error *err, const char *fmt, va_list ap) {
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

int cp_error_set(cp_error *err, int code, const char *fmt, ...) {
  if (!err) return code;
  cp_error_clear(err);
  err->code = code;
  va_list ap;
  va_start(ap, fmt);
  set_msg(err, fmt, ap);
  va_end(ap);
  return code;
}

int cp_error_set_at(cp_error *err, int code, const char *file, long line,
                    long col, const char *fmt, ...) {
  if (!err) return code;
  cp_error_clear(err);
  err->code = code;
  if (file) snprintf(err->file, sizeof err->file, "%s", file);
  err->line = line;
  err->col = col;
  va_list ap;
  va_start(ap, fmt);
  set_msg(err, fmt, ap);
  va_end(ap);
  return code;
}

void cp_error_prefix(cp_error *err, const char *fmt, ...) {
  if (!err) return;
  char pre[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(pre, sizeof pre, fmt, ap);
  va_end(ap);
  size_t np = strlen(pre), nm = strlen(err->msg), cap = sizeof err->msg - 1;
  if (np + 2 > cap) np = cap - 2;
  if (np + 2 + nm > cap) nm = cap - np - 2;
  memmove(err->msg + np + 2, err->msg, nm);
  memcpy(err->msg, pre, np);
  err->msg[np] = ':';
  err->msg[np + 1] = ' ';
  err->msg[np + 2 + nm] = '\0';
}

const char *cp_error_format(const cp_error *err, char *buf, size_t size) {
  if (!buf || size == 0) return "";
  if (!err || !err->code) {
    snprintf(buf, size, "no error");
    return buf;
  }
  size_t fl = strlen(err->file);
  if (fl && strncmp(err->msg, "plugin ", 7) == 0 && strncmp(err->msg + 7, err->file, fl) == 0)
    snprintf(buf, size, "%s", err->msg); /* "plugin FILE[:LINE]: ..." says where already */
  else if (err->file[0] && err->line > 0 && err->col > 0)
    snprintf(buf, size, "%s:%ld:%ld: %s", err->file, err->line, err->col, err->msg);
  else if (err->file[0] && err->line > 0)
    snprintf(buf, size, "%s:%ld: %s", err->file, err->line, err->msg);
  else if (err->file[0])
    snprintf(buf, size, "%s: %s", err->file, err->msg);
  else
    snprintf(buf, size, "%s", err->msg[0] ? err->msg : cp_error_code_name(err->code));
  return buf;
}

const char *cp_error_code_name(int code) {
  switch (code) {
  case CP_OK: return "ok";
  case CP_ENOMEM: return "out of memory";
  case CP_EINVAL: return "invalid value";
  case CP_ENOTFOUND: return "not found";
  case CP_EEXISTS: return "already exists";
  case CP_EPARSE: return "malformed input";
  case CP_EDB: return "database error";
  case CP_EIO: return "input/output error";
  case CP_ESCHEMA: return "incompatible database";
  case CP_ECYCLE: return "cycle";
  case CP_EAMBIGUOUS: return "ambiguous";
  case CP_ELIMIT: return "limit exceeded";
  default: return "error";
  }
}
