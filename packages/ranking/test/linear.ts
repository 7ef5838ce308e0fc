export { type LinearCase, linearModel, linearScores, take } from '../../../test/linear-model.js';
