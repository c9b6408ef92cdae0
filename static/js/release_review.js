/* The review of a press release (releases.admin): a row whose "keep" box is unticked is shown as
   dropped, and the row being edited outlines its words in the text. */
'use strict';
{
    function markOf(row) {
        const id = row.dataset.mark;
        return id ? document.getElementById(id) : null;
    }

    function showKept(row) {
        const keep = row.querySelector('input[type="checkbox"][name$="-keep"]');
        if (keep) {
            row.classList.toggle('is-dropped', !keep.checked);
        }
    }

    document.addEventListener('DOMContentLoaded', function() {
        document.querySelectorAll('.release-row').forEach(function(row) {
            showKept(row);
            row.addEventListener('change', function(event) {
                if (event.target.name && event.target.name.endsWith('-keep')) {
                    showKept(row);
                }
            });
            row.addEventListener('focusin', function() {
                document.querySelectorAll('mark.is-current').forEach(function(mark) {
                    mark.classList.remove('is-current');
                });
                const mark = markOf(row);
                if (mark) {
                    mark.classList.add('is-current');
                }
            });
        });
    });
}
