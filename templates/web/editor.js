// Live validation for the editor (progressive enhancement: the page works without it). While the user
// types, the form is sent to the server's validation (the engine's own findings, nothing stored) and the
// findings are shown beside their items. Text is only ever set with textContent.
(() => {
  'use strict';
  const form = document.getElementById('editor-form');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  const url = form.getAttribute('data-validate');
  const state = document.getElementById('ed-live-state');
  const line = document.getElementById('ed-summary-line');
  const general = document.querySelector('#ed-summary .ed-findings');
  let timer = 0;
  let seq = 0;

  const finding = (f) => {
    const p = document.createElement('p');
    p.className = `finding sev-${f.severity}`;
    const badge = document.createElement('span');
    badge.className = `badge sev-${f.severity}`;
    badge.textContent = f.severityName;
    p.append(badge, ' ');
    if (f.label) {
      const l = document.createElement('span');
      l.className = 'flabel';
      l.textContent = f.label;
      p.append(l, ': ');
    }
    p.append(f.message);
    if (f.title) {
      const c = document.createElement('span');
      c.className = 'code';
      c.textContent = ` (${f.title})`;
      p.append(c);
    }
    return p;
  };

  const containerFor = (ptr) => {
    for (const c of form.querySelectorAll('.ed-findings[data-for]'))
      if (c.getAttribute('data-for') === ptr) return c;
    return general;
  };

  async function run() {
    const mine = ++seq;
    const body = new URLSearchParams(new FormData(form));
    if (state) state.textContent = '(検証中…)';
    let data;
    try {
      const r = await fetch(url, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      if (!r.ok) throw new Error(String(r.status));
      data = await r.json();
    } catch {
      if (mine === seq && state) state.textContent = '(入力中の検証に失敗しました。保存すると検証します)';
      return;
    }
    if (mine !== seq) return;
    for (const c of form.querySelectorAll('.ed-findings')) c.replaceChildren();
    if (general) general.replaceChildren();
    for (const place of data.placements) {
      const c = containerFor(place.ptr);
      if (c) for (const f of place.findings) c.append(finding(f));
    }
    if (general) for (const f of data.general) general.append(finding(f));
    const na = new Set(data.notApplicable);
    for (const el of form.querySelectorAll('[data-ptr]'))
      el.classList.toggle('na', na.has(el.getAttribute('data-ptr')));
    if (line) {
      const s = data.summary;
      const span = document.createElement('span');
      span.className = s.error + s.warning === 0 ? 'ok' : s.error ? 'bad' : 'warn';
      span.textContent =
        s.error + s.warning === 0 ? '問題なし' : `エラー ${s.error} 件、警告 ${s.warning} 件`;
      line.replaceChildren(span);
    }
    if (state)
      state.textContent = data.nul.length
        ? '(NUL 文字を含む項目があります。保存できません)'
        : '(入力中の内容を検証しました。まだ保存していません)';
  }

  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(run, 700);
  };
  form.addEventListener('input', later);
  form.addEventListener('change', later);
})();
