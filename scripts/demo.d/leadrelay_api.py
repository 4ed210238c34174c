"""The one call the demo's scripts make: a JSON POST to the LeadRelay API with a key."""
import json, urllib.error, urllib.request


def post(base, key, path, body):
    """POSTs `body` as JSON and returns the HTTP status, error statuses included."""
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
