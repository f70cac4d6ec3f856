/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void gh_a11y_label_entry_rows (GtkWidget *root);

G_END_DECLS
