"""A tiny HTTP origin for the Squid interop test: answers every method with a body of the requested size.

GET /size/N returns N bytes; any other path returns a small page. Request bodies are read and discarded.
Binds to 127.0.0.1 only; stops when its parent test script kills it.
"""
import http.server
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        size = 512
        parts = self.path.split("/")
        if len(parts) >= 3 and parts[1] == "size" and parts[2].isdigit():
            size = int(parts[2])
        body = b"x" * size
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_HEAD = _answer

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
