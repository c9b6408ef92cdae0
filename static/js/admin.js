/* The portal's admin: loaded (not deferred) in the head of every admin page, before Django's own scripts.

   1. The navigation sidebar starts collapsed: at 1,366 px it would take a quarter of the page. Django's
      nav_sidebar.js reads this choice, and the toggle still opens it (and remembers that).
   2. One time-zone note per form instead of Django's warning under every date and time field: without
      the body's data-admin-utc-offset, DateTimeShortcuts (run on "load") adds no warning. The form
      shows the note itself (templates/admin/change_form.html). */
'use strict';
{
    const sidebarKey = 'django.admin.navSidebarIsOpen';
    try {
        if (localStorage.getItem(sidebarKey) === null) {
            localStorage.setItem(sidebarKey, 'false');
        }
    } catch (error) {
        // Storage refused (private mode): the sidebar opens as Django decides.
    }
    document.addEventListener('DOMContentLoaded', function() {
        document.body.removeAttribute('data-admin-utc-offset');
    });
}
