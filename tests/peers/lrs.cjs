// Learning Locker's xapi-statements LRS with in-memory storage, for the lms tests.
// Its server listens on every interface; the tests want it on loopback only.
const http = require('http');

const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (port, ...rest) {
  const callback = rest.find((arg) => typeof arg === 'function');
  return listen.call(this, port, '127.0.0.1', callback);
};

Object.assign(process.env, {
  AUTH_REPO: 'test',
  EVENTS_REPO: 'test',
  MODELS_REPO: 'memory',
  STORAGE_REPO: 'memory',
  WINSTON_CONSOLE_LEVEL: process.env.WINSTON_CONSOLE_LEVEL || 'warn',
});
require('@learninglocker/xapi-statements/dist/server');
