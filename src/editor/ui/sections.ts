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
import { ModelsSection } from './ModelsSection';
import { BindingPanel, BindingsSection } from './BindingsSection';
import { ViewsSection } from './ViewsSection';
import { NodeTree } from './NodeTree';
import { EditorPreview } from './EditorPreview';
import { SignalsSection } from './SignalsSection';
import { RulesSection } from './RulesSection';
import { CommandsSection } from './CommandsSection';
import { ImportSection } from './ImportSection';
import { TopicBrowser } from './TopicBrowser';
import { OtherFieldsSection } from './OtherFieldsSection';
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
  { id: 'models', titleKey: 'editorScene:models.title', component: ModelsSection, owns: under('assets') },
  { id: 'signals', titleKey: 'editorSignals:signals.title', component: SignalsSection, owns: under('signals') },
  { id: 'bindings', titleKey: 'editorScene:bindings.title', component: BindingsSection, owns: under('bindings') },
  { id: 'rules', titleKey: 'editorSignals:rules.title', component: RulesSection, owns: under('rules') },
  { id: 'commands', titleKey: 'editorSignals:commands.title', component: CommandsSection, owns: under('commands') },
  { id: 'views', titleKey: 'editorScene:views.title', component: ViewsSection, owns: under('views') },
  { id: 'import', titleKey: 'editorSignals:import.title', component: ImportSection, owns: () => false },
  {
    id: 'other',
    titleKey: 'editor:other.title',
    component: OtherFieldsSection,
    owns: under('panels', 'sources', 'kiosk', 'embed'),
  },
];

/** The middle of the page: the live preview (src/editor/ui/EditorPreview.tsx registers itself here). */
export const CENTER: ComponentType[] = [EditorPreview];

/** Right column, top to bottom: the part/selection panel, the topic browser. */
export const RIGHT_PANELS: EditorPanel[] = [
  { id: 'part', titleKey: 'editorScene:part.title', component: BindingPanel },
  { id: 'nodes', titleKey: 'editorScene:tree.title', component: NodeTree },
  { id: 'topics', titleKey: 'editorSignals:topics.title', component: TopicBrowser },
];

/** The section that edits a JSON path; the first registered wins. */
export function sectionFor(path: string): EditorSection | undefined {
  return SECTIONS.find((s) => s.owns(path));
}
