import { useEffect, useMemo } from 'react';
import { useThree } from '@react-three/fiber';
import { Box3, Box3Helper, Color } from 'three';
import { useApp } from '../store/app';
import { boundsOf, onRegistryChange } from './sceneRegistry';

/** Selection blue: not a state colour of the ISA-101 palette, so it never reads as an alarm. */
const SELECTION_COLOR = new Color('#1f5fa8');

/** Outlines the selected part with its bounding frame; follows the selection, draws nothing when none. */
export function SelectionOutline() {
  const selected = useApp((s) => s.selected);
  const scene = useThree((s) => s.scene);
  const invalidate = useThree((s) => s.invalidate);
  const helper = useMemo(() => {
    const h = new Box3Helper(new Box3(), SELECTION_COLOR);
    h.name = 'selection-outline';
    h.visible = false;
    h.raycast = () => {}; // never pickable
    return h;
  }, []);

  useEffect(() => {
    scene.add(helper);
    return () => {
      scene.remove(helper);
    };
  }, [scene, helper]);

  useEffect(() => {
    const update = () => {
      if (selected && boundsOf(selected, helper.box)) {
        // The part's own box: expand slightly so the frame does not z-fight with its faces.
        helper.box.expandByScalar(0.05);
        helper.visible = true;
      } else {
        helper.visible = false;
      }
      invalidate();
    };
    update();
    return onRegistryChange(update);
  }, [selected, helper, invalidate]);
  return null;
}
