/**
 * The editor's sections (left column), the middle (the preview) and the right column, registered
 * here so each engineer adds one line for their part (issue 15, the editor's shared contract).
 *
 * A section's `titleKey` is a full i18next key with its namespace ("editor:twin.title",
 * "editorScene:models.title"), so each part keeps its text in its own namespace. `owns(path)` says
 * whether a JSON path of the document ("$.signals[2].topic") is edited in this section: a click on a
 * problem opens the section that owns its path and focuses the field with that `data-path`.
 */
import type { ComponentType } from 'react';
import { TwinSection } from './TwinSection';
import { under } from '../paths';

export { under };

export interface EditorSection {
  id: string;
  titleKey: string;
  component: ComponentType;
  owns(path: string): boolean;
}

export interface EditorPanel {
  id: string;
  titleKey: string;
  component: ComponentType;
}

/** Left column, top to bottom: Twin & broker, Models, Signals, Bindings, Rules, Commands, Views, Import. */
export const SECTIONS: EditorSection[] = [
  {
    id: 'twin',
    titleKey: 'editor:twin.title',
    component: TwinSection,
    owns: (path) => path === '$' || under('$schema', 'id', 'title', 'description', 'connection')(path),
  },
];

/** The middle of the page: the live preview (src/editor/ui/EditorPreview.tsx registers itself here). */
export const CENTER: ComponentType[] = [];

/** Right column, top to bottom: the part/selection panel, the topic browser. */
export const RIGHT_PANELS: EditorPanel[] = [];

/** The section that edits a JSON path; the first registered wins. */
export function sectionFor(path: string): EditorSection | undefined {
  return SECTIONS.find((s) => s.owns(path));
}
