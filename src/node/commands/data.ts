import { requireInt } from '../args.js';
import { F, type Command } from '../command.js';
import { loadDataset } from '../io.js';

export const dataCommand: Command = {
  name: 'data',
  summary: 'Show the vocabulary, the name count, the 80/10/10 split and the first shuffled names.',
  flags: [F.input, F.maxInput, F.blockSize, { name: 'show', type: 'int', default: 10, help: 'how many shuffled names to list' }, F.json, F.help],
  run(args) {
    const blockSize = requireInt(args, 'block-size', 1);
    const show = requireInt(args, 'show', 0);
    const ds = loadDataset(args.inputFile as string | undefined, blockSize);
    const info = {
      source: ds.source,
      names: ds.words.length,
      vocabSize: ds.itos.length,
      vocab: ds.itos.join(''),
      blockSize,
      split: { train: ds.train.n, val: ds.val.n, test: ds.test.n },
      firstShuffled: ds.words.slice(0, show),
    };
    if (args.json) {
      console.log(JSON.stringify(info, null, 2));
      return 0;
    }
    console.log(`data:       ${info.source}`);
    console.log(`names:      ${info.names}`);
    console.log(`vocab:      ${info.vocabSize} tokens: ${JSON.stringify(info.vocab)} ('.' = 0 starts and ends a name)`);
    console.log(`block size: ${blockSize}`);
    console.log(`split:      train ${info.split.train} / val ${info.split.val} / test ${info.split.test} rows (80/10/10 of the names after random.seed(42); random.shuffle)`);
    console.log(`shuffled:   ${info.firstShuffled.join(', ')}${show < ds.words.length ? ', ...' : ''}`);
    return 0;
  },
};
