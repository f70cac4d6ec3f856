/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gh-a11y"

#include "config.h"

#include <adwaita.h>

#include "gh-a11y.h"

/**
 * gh_a11y_label_entry_rows:
 * @root: a widget whose descendants include entry rows
 *
 * Names the text field inside every #AdwEntryRow (and password row) below @root after the
 * row's title. libadwaita 1.2 labels the row but not the field in it, which is what a screen
 * reader lands on when the field has the keyboard focus; and names their icon buttons after
 * their tooltips.
 */
void
gh_a11y_label_entry_rows (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (ADW_IS_ENTRY_ROW (root)) {
    GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (root));
    const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root));

    if (text != NULL && title != NULL)
      gtk_accessible_update_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      title, -1);
  }

  /* Icon buttons inside the rows (the password row's "show text") have only a tooltip. */
  if (GTK_IS_BUTTON (root) && gtk_button_get_label (GTK_BUTTON (root)) == NULL &&
      gtk_widget_get_tooltip_text (root) != NULL &&
      gtk_widget_get_ancestor (root, ADW_TYPE_ENTRY_ROW) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    gtk_widget_get_tooltip_text (root), -1);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gh_a11y_label_entry_rows (child);
}
