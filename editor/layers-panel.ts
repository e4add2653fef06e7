import type { EditorDocument } from './editor-document.js';

/** The layers list: top layer first, a visibility checkbox and a select button per layer. */
export function renderLayersPanel(list: HTMLElement, doc: EditorDocument): void {
  const draw = () => {
    list.replaceChildren(
      ...[...doc.layers].reverse().map((l) => {
        const li = document.createElement('li');
        li.dataset.layerId = l.id;
        li.classList.toggle('active', l.id === doc.activeId);
        const eye = document.createElement('input');
        eye.type = 'checkbox';
        eye.checked = l.visible;
        eye.title = 'Visible';
        eye.addEventListener('change', () => doc.setVisible(l.id, eye.checked));
        const name = document.createElement('button');
        name.textContent = `${l.name} (${l.width}×${l.height} @ ${l.x},${l.y})`;
        name.addEventListener('click', () => doc.setActive(l.id));
        li.append(eye, name);
        return li;
      }),
    );
  };
  doc.addEventListener('change', draw);
  draw();
}
