export { type ClockUnderTest, runClockContract } from './clock-contract.js';
