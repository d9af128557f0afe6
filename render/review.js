// digestx review page: tooltips for facts, filters by kind and period, sortable
// facts table whose rows find their fact in the text. Reads only the page's own
// data-* attributes and writes only text (never HTML), so input text stays inert.
(function () {
  'use strict';

  var tip = document.getElementById('tip');

  // Exact decimal string -> grouped for reading: "1000000" -> "1,000,000".
  function grouped(raw) {
    var m = /^(-?)(\d+)(\.\d+)?$/.exec(raw || '');
    if (!m) return raw || '';
    return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (m[3] || '');
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // A continuation mark (a fact split by a boundary) stands for its first part.
  function factOf(mark) {
    return mark.dataset.of ? document.getElementById(mark.dataset.of) || mark : mark;
  }

  function periodText(d) {
    var p = { last_year: 'last year', this_year: 'this year' }[d.period] || 'no period';
    return p + (d.year ? ' ' + d.year : '') + (d.periodRule ? ' · ' + d.periodRule : '');
  }

  function valueText(d) {
    if (d.value === undefined) return null;
    return grouped(d.value) + (d.unit || '');
  }

  function rangeText(d) {
    if (!d.range) return null;
    var r = d.range.split(',');
    return grouped(r[0]) + '–' + grouped(r[1]) + (d.unit || '');
  }

  function fillTip(mark) {
    var d = mark.dataset;
    tip.textContent = '';
    var head = el('div', 't-head');
    head.appendChild(el('span', 't-text', mark.textContent));
    head.appendChild(el('span', 't-kind k-' + d.kind.replace(/[^A-Za-z0-9_]/g, '_'), d.kind));
    tip.appendChild(head);
    var dl = el('dl');
    [['value', valueText(d)], ['unit', d.unit], ['qualifier', d.qualifier ? d.qualifier.replace(/_/g, ' ') : null],
     ['range', rangeText(d)], ['subject', d.subject], ['aspect', d.aspect], ['period', periodText(d)]]
      .forEach(function (row) {
        dl.appendChild(el('dt', '', row[0]));
        dl.appendChild(el('dd', row[1] ? '' : 'is-null', row[1] || '—'));
      });
    (d.rules ? d.rules.split(' · ') : ['—']).forEach(function (rule, i) {
      dl.appendChild(el('dt', '', i ? '' : 'rules'));
      dl.appendChild(el('dd', 't-rule', rule));
    });
    tip.appendChild(dl);
    var span = (d.span || '').split(',');
    tip.appendChild(el('div', 't-foot', 'chars [' + span[0] + ', ' + span[1] + ')  ' + d.path));
  }

  var current = null;  // the mark the tooltip describes

  function placeTip(mark) {
    var r = mark.getBoundingClientRect(), t = tip.getBoundingClientRect();
    var left = Math.max(8, Math.min(r.left, window.innerWidth - t.width - 8));
    var top = r.bottom + 8;
    if (top + t.height > window.innerHeight - 8) top = Math.max(8, r.top - t.height - 8);
    tip.style.left = left + 'px';
    tip.style.top = top + 'px';
  }

  function showTip(mark) {
    var fact = factOf(mark);
    if (fact.classList.contains('is-off')) return;
    fillTip(fact);
    tip.hidden = false;
    if (current) current.removeAttribute('aria-describedby');
    current = mark;
    mark.setAttribute('aria-describedby', 'tip');
    placeTip(mark);
  }

  function hideTip() {
    tip.hidden = true;
    if (current) current.removeAttribute('aria-describedby');
    current = null;
  }

  function markAt(target) { return target && target.closest ? target.closest('mark.f') : null; }

  document.addEventListener('mouseover', function (e) { var m = markAt(e.target); if (m) showTip(m); });
  document.addEventListener('mouseout', function (e) { if (markAt(e.target)) hideTip(); });
  document.addEventListener('focusin', function (e) { var m = markAt(e.target); if (m) showTip(m); });
  document.addEventListener('focusout', function (e) { if (markAt(e.target)) hideTip(); });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') hideTip(); });
  window.addEventListener('scroll', function () { if (current) placeTip(current); }, { passive: true });

  // ------------------------------------------------------------ filters

  function applyFilters(section) {
    var kind = section.dataset.kind || '', period = section.dataset.period || '';
    function keep(e) {
      return (!kind || e.dataset.kind === kind) && (!period || e.dataset.period === period);
    }
    section.querySelectorAll('mark.f').forEach(function (m) { m.classList.toggle('is-off', !keep(m)); });
    section.querySelectorAll('.side li').forEach(function (li) { li.classList.toggle('is-off', !keep(li)); });
    section.querySelectorAll('.text .s').forEach(function (s) {
      s.classList.toggle('is-faded', !!period && s.dataset.period !== period);
    });
    var shown = 0, rows = section.querySelectorAll('table.facts tbody tr');
    rows.forEach(function (tr) {
      var k = keep(tr);
      tr.classList.toggle('is-off', !k);
      if (k) shown++;
    });
    var out = section.querySelector('.shown');
    if (out) out.textContent = (shown === rows.length ? '' : shown + ' of ') + rows.length + ' facts';
  }

  document.querySelectorAll('.toolbar .filter').forEach(function (group) {
    group.addEventListener('click', function (e) {
      var button = e.target.closest('button');
      if (!button) return;
      group.querySelectorAll('button').forEach(function (b) {
        b.setAttribute('aria-pressed', b === button ? 'true' : 'false');
      });
      var section = group.closest('section.doc');
      section.dataset[group.dataset.filter] = button.dataset.value;
      applyFilters(section);
    });
  });

  // ------------------------------------------------------------ facts table

  function sortKey(td, type) {
    if (type !== 'num') return td.textContent.trim();
    var v = td.dataset.v !== undefined ? td.dataset.v : td.textContent.replace(/,/g, '');
    var n = parseFloat(v);
    return isNaN(n) ? null : n;
  }

  function isEmpty(key) { return key === null || key === '' ? 1 : 0; }

  function compare(a, b, type) {
    if (isEmpty(a) || isEmpty(b)) return 0;
    return type === 'num' ? a - b : a.localeCompare(b, 'zh');
  }

  document.querySelectorAll('table.facts thead th').forEach(function (th) {
    th.querySelector('button').addEventListener('click', function () {
      var table = th.closest('table'), tbody = table.tBodies[0];
      var column = Array.prototype.indexOf.call(th.parentNode.children, th);
      var type = th.dataset.type;
      var up = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('thead th').forEach(function (h) { h.setAttribute('aria-sort', 'none'); });
      th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
      var rows = Array.prototype.slice.call(tbody.rows).map(function (tr) {
        return { tr: tr, key: sortKey(tr.cells[column], type) };
      });
      rows.sort(function (a, b) {
        var empty = isEmpty(a.key) - isEmpty(b.key);  // empty cells last, whichever the direction
        return empty || (up ? 1 : -1) * compare(a.key, b.key, type);
      });
      rows.forEach(function (r) { tbody.appendChild(r.tr); });
    });
  });

  // ------------------------------------------------------------ export

  // The facts table as shown (filtered, in its current order) as CSV: RFC 4180
  // quoting, CRLF, UTF-8; values exact (the cell's data-v), not as grouped for reading.
  function csvCell(s) { return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; }

  function factsCsv(section) {
    var table = section.querySelector('table.facts');
    var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.textContent.trim(); });
    var exact = heads.indexOf('value');
    var lines = [['source'].concat(heads).map(csvCell).join(',')];
    Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
      if (tr.classList.contains('is-off')) return;
      var cells = Array.prototype.map.call(tr.cells, function (td, i) {
        return i === exact && td.dataset.v !== undefined ? td.dataset.v : td.textContent.trim();
      });
      lines.push([section.dataset.source || ''].concat(cells).map(csvCell).join(','));
    });
    return lines.join('\r\n') + '\r\n';
  }

  function fileName(section) {
    var base = (section.dataset.source || 'stdin').split('/').pop().replace(/\.[^.]*$/, '') || 'facts';
    var filters = [section.dataset.kind, section.dataset.period].filter(Boolean);
    return base + (filters.length ? '.' + filters.join('.') : '') + '.facts.csv';
  }

  document.querySelectorAll('section.doc .export').forEach(function (button) {
    button.addEventListener('click', function () {
      var section = button.closest('section.doc');
      var url = URL.createObjectURL(new Blob([factsCsv(section)], { type: 'text/csv;charset=utf-8' }));
      var a = el('a');
      a.href = url;
      a.download = fileName(section);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    });
  });

  function findInText(id) {
    var mark = document.getElementById(id);
    if (!mark) return;
    mark.scrollIntoView({ block: 'center' });
    mark.focus({ preventScroll: true });
    mark.classList.remove('is-flash');
    void mark.offsetWidth;  // restart the animation
    mark.classList.add('is-flash');
  }

  // Side notes: pointing at one outlines its fact; clicking one finds it.
  document.querySelectorAll('.side').forEach(function (list) {
    list.addEventListener('click', function (e) {
      var li = e.target.closest('li');
      if (li) findInText(li.dataset.fact);
    });
    list.addEventListener('mouseover', function (e) {
      var li = e.target.closest('li'), mark = li && document.getElementById(li.dataset.fact);
      if (mark) mark.classList.add('is-hot');
    });
    list.addEventListener('mouseout', function (e) {
      var li = e.target.closest('li'), mark = li && document.getElementById(li.dataset.fact);
      if (mark) mark.classList.remove('is-hot');
    });
  });

  document.querySelectorAll('table.facts tbody').forEach(function (tbody) {
    tbody.addEventListener('click', function (e) {
      var tr = e.target.closest('tr');
      if (!tr) return;
      e.preventDefault();
      findInText(tr.dataset.fact);
    });
  });
})();
