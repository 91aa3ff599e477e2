// portfolio/: every 評価書 under a directory validated, checked, rendered and dated in one run, and the
// summary page of the run (HTML and Markdown). Drivers: `pia portfolio`, bench/portfolio.ts.
export {
  runPortfolio,
  portfolioExitCode,
  type PortfolioDocument,
  type PortfolioOptions,
  type PortfolioResult,
  type PortfolioStatus,
} from './run.ts';
export { formatPortfolioHtml, formatPortfolioMarkdown, summaryCountsLine } from './summary.ts';
