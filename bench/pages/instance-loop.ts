// The instance-loop bench's loop in the browser: the bench hands it the values and reads the times.
import { compareLoops } from '../_instanceLoop';

(window as unknown as { compareLoops: typeof compareLoops }).compareLoops = compareLoops;
