import { beforeEach, describe, expect, it } from 'vitest';
import {
  addFiles,
  DEFAULT_BROKER_URL,
  edit,
  focusField,
  HISTORY_LIMIT,
  loadDraft,
  newTwinDoc,
  redo,
  undo,
  useDraft,
} from './draft';

const state = () => useDraft.getState();

beforeEach(() => loadDraft(null, newTwinDoc(DEFAULT_BROKER_URL)));

describe('draft document', () => {
  it('a new twin document validates, so the preview can run at once', () => {
    expect(state().problems).toEqual([]);
    expect(state().canUndo).toBe(false);
    expect(state().canRedo).toBe(false);
  });

  it('an edit changes a copy: the previous document object is untouched', () => {
    const before = state().doc;
    edit('Title', (doc) => {
      doc.title = 'Pumps';
    });
    expect(state().doc.title).toBe('Pumps');
    expect(before.title).toBe('New twin');
  });

  it('each edit is one undo step, and redo re-applies it', () => {
    edit('Title', (doc) => {
      doc.title = 'A';
    });
    edit('Title', (doc) => {
      doc.title = 'B';
    });
    expect(state().undoLabel).toBe('Title');
    undo();
    expect(state().doc.title).toBe('A');
    expect(state().canRedo).toBe(true);
    undo();
    expect(state().doc.title).toBe('New twin');
    expect(state().canUndo).toBe(false);
    redo();
    redo();
    expect(state().doc.title).toBe('B');
    expect(state().canRedo).toBe(false);
  });

  it('a new edit after undo clears redo', () => {
    edit('Title', (doc) => {
      doc.title = 'A';
    });
    undo();
    edit('Description', (doc) => {
      doc.description = 'x';
    });
    expect(state().canRedo).toBe(false);
    redo();
    expect(state().doc.title).toBe('New twin');
    expect(state().doc.description).toBe('x');
  });

  it('problems are recomputed after each edit, undo and redo', () => {
    edit('Title', (doc) => {
      doc.title = '';
    });
    expect(state().problems.map((p) => p.path)).toEqual(['$.title']);
    undo();
    expect(state().problems).toEqual([]);
    redo();
    expect(state().problems.map((p) => p.path)).toEqual(['$.title']);
  });

  it('keeps a bounded history: the oldest steps are dropped', () => {
    for (let i = 0; i < HISTORY_LIMIT + 25; i++)
      edit('Title', (doc) => {
        doc.title = `T${i}`;
      });
    let undone = 0;
    while (state().canUndo) {
      undo();
      undone++;
    }
    expect(undone).toBe(HISTORY_LIMIT);
    expect(state().doc.title).toBe('T24');
  });

  it('a recipe that throws changes nothing and adds no step', () => {
    expect(() =>
      edit('Broken', () => {
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(state().canUndo).toBe(false);
  });

  it('adding files with their asset is one undo step', () => {
    const blob = new Blob(['glb']);
    addFiles([{ path: 'pump.glb', blob }], 'Add model', (doc) => {
      (doc.assets as unknown[]).push({ id: 'pump', model: 'pump.glb' });
    });
    expect(state().files['pump.glb']).toBe(blob);
    expect(state().doc.assets).toHaveLength(1);
    undo();
    expect(state().files).toEqual({});
    expect(state().doc.assets).toHaveLength(0);
    redo();
    expect(state().files['pump.glb']).toBe(blob);
  });

  it('focusField bumps seq so the same path can be focused again', () => {
    focusField('$.title');
    const first = state().focus;
    focusField('$.title');
    expect(state().focus).toEqual({ path: '$.title', seq: (first?.seq ?? 0) + 1 });
  });

  it('loadDraft resets history and sets the folder', () => {
    edit('Title', (doc) => {
      doc.title = 'A';
    });
    loadDraft('pumps', { id: 'pumps' });
    expect(state().folder).toBe('pumps');
    expect(state().canUndo).toBe(false);
    expect(state().problems.length).toBeGreaterThan(0);
  });

  it('revision changes with every change of the document or files', () => {
    const r0 = state().revision;
    edit('Title', (doc) => {
      doc.title = 'A';
    });
    undo();
    redo();
    expect(state().revision).toBe(r0 + 3);
  });
});

describe('typing in one field', () => {
  it('edits with the same coalescing key are one undo step; another key starts a new one', () => {
    for (const title of ['P', 'Pu', 'Pum'])
      edit(
        'Title',
        (doc) => {
          doc.title = title;
        },
        '$.title#1',
      );
    edit(
      'Title',
      (doc) => {
        doc.title = 'Pumps';
      },
      '$.title#2',
    );
    undo();
    expect(state().doc.title).toBe('Pum');
    undo();
    expect(state().doc.title).toBe('New twin');
    expect(state().canUndo).toBe(false);
  });

  it('after an undo, the same key starts a new step', () => {
    edit('Title', (doc) => void (doc.title = 'A'), 'k');
    undo();
    edit('Title', (doc) => void (doc.title = 'B'), 'k');
    edit('Title', (doc) => void (doc.title = 'C'), 'k');
    undo();
    expect(state().doc.title).toBe('New twin');
  });
});
